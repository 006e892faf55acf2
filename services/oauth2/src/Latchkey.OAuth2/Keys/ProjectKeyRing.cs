using System.Security.Cryptography;
using System.Text.Json;
using Latchkey.OAuth2.Storage;
using Latchkey.Tenancy;
using Marten;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.OAuth2.Keys;

/// <summary>
/// A project's asymmetric signing keys. A set is created with one RS256 key the first time it is needed;
/// the newest key signs, every key stays in the JWKS until deleted.
/// </summary>
public sealed class ProjectKeyRing(IOAuth2Store store, KeyDerivation derivation)
{
    public async Task<IReadOnlyList<StoredKey>> GetOrCreateAsync(ProjectInfo project, string set, CancellationToken ct)
    {
        await using (var query = store.QuerySession(project.TenantId))
        {
            var keys = await query.Query<StoredKey>().Where(k => k.Set == set).OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
            if (keys.Count > 0) return keys;
        }

        var key = Generate(set, "RS256");
        await using var session = store.LightweightSession(project.TenantId);
        session.Store(key);
        await session.SaveChangesAsync(ct);
        return [key];
    }

    public StoredKey Generate(string set, string alg)
    {
        using var rsa = RSA.Create(2048);
        var kid = Guid.NewGuid().ToString();
        var privateJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = kid });
        privateJwk.Alg = alg;
        privateJwk.Use = "sig";
        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = kid });
        publicJwk.Alg = alg;
        publicJwk.Use = "sig";
        return new StoredKey
        {
            Id = kid,
            Set = set,
            Alg = alg,
            PublicJwk = JsonSerializer.Serialize(publicJwk),
            ProtectedPrivateJwk = derivation.Protect(JsonSerializer.Serialize(privateJwk)),
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    public SecurityKey ToSigningKey(StoredKey key)
    {
        var jwk = new JsonWebKey(derivation.Unprotect(key.ProtectedPrivateJwk));
        var parameters = new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(jwk.N),
            Exponent = Base64UrlEncoder.DecodeBytes(jwk.E),
            D = Base64UrlEncoder.DecodeBytes(jwk.D),
            P = Base64UrlEncoder.DecodeBytes(jwk.P),
            Q = Base64UrlEncoder.DecodeBytes(jwk.Q),
            DP = Base64UrlEncoder.DecodeBytes(jwk.DP),
            DQ = Base64UrlEncoder.DecodeBytes(jwk.DQ),
            InverseQ = Base64UrlEncoder.DecodeBytes(jwk.QI),
        };
        return new RsaSecurityKey(parameters) { KeyId = key.Id };
    }
}
