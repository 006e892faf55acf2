using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A key pair a party outside Latchkey signs JWT assertions with (a trusted issuer, or a private_key_jwt client):
/// its public JWK as Hydra's APIs take it, and assertions signed by Microsoft.IdentityModel with the claims given.
/// </summary>
public sealed class AssertionKey : IDisposable
{
    readonly AsymmetricAlgorithm _key;
    readonly SecurityKey _securityKey;
    static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Kid { get; } = "kid-" + Guid.NewGuid().ToString("N")[..12];
    public string Alg { get; }

    public AssertionKey(string alg = SecurityAlgorithms.EcdsaSha256, string? kid = null)
    {
        Alg = alg;
        if (kid is not null) Kid = kid;
        if (alg.StartsWith("ES", StringComparison.Ordinal))
        {
            var curve = alg switch { "ES384" => ECCurve.NamedCurves.nistP384, "ES512" => ECCurve.NamedCurves.nistP521, _ => ECCurve.NamedCurves.nistP256 };
            var ec = ECDsa.Create(curve);
            _key = ec;
            _securityKey = new ECDsaSecurityKey(ec) { KeyId = Kid };
        }
        else
        {
            var rsa = RSA.Create(2048);
            _key = rsa;
            _securityKey = new RsaSecurityKey(rsa) { KeyId = Kid };
        }
    }

    /// <summary>The public JWK, with kid, alg and use: what a trust relationship's <c>jwk</c> or a client's <c>jwks</c> holds.</summary>
    public JsonObject PublicJwk
    {
        get
        {
            var jwk = new JsonObject { ["kid"] = Kid, ["alg"] = Alg, ["use"] = "sig" };
            if (_key is ECDsa ec)
            {
                var p = ec.ExportParameters(includePrivateParameters: false);
                jwk["kty"] = "EC";
                jwk["crv"] = Alg switch { "ES384" => "P-384", "ES512" => "P-521", _ => "P-256" };
                jwk["x"] = Base64Url.EncodeToString(p.Q.X);
                jwk["y"] = Base64Url.EncodeToString(p.Q.Y);
            }
            else
            {
                var p = ((RSA)_key).ExportParameters(includePrivateParameters: false);
                jwk["kty"] = "RSA";
                jwk["n"] = Base64Url.EncodeToString(p.Modulus);
                jwk["e"] = Base64Url.EncodeToString(p.Exponent);
            }
            return jwk;
        }
    }

    public JsonObject PublicJwks => new() { ["keys"] = new JsonArray(PublicJwk) };

    /// <summary>A signed JWT with exactly these claims (no defaults added: a test leaves a claim out by not naming it).</summary>
    public string Sign(IDictionary<string, object> claims) =>
        Handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = new SigningCredentials(_securityKey, Alg) });

    /// <summary>A signed JWT with these claims and these extra header parameters (a proof's <c>jwk</c>, say).</summary>
    public string Sign(IDictionary<string, object> claims, IDictionary<string, object> header) =>
        Handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, AdditionalHeaderClaims = header, SigningCredentials = new SigningCredentials(_securityKey, Alg) });

    /// <summary>Claims of a well-formed assertion: iss, sub, aud, iat now, exp in five minutes, a fresh jti.</summary>
    public static Dictionary<string, object> Claims(string issuer, string subject, string audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["iat"] = now,
            ["exp"] = now + 300,
            ["jti"] = Guid.NewGuid().ToString(),
        };
    }

    public void Dispose() => _key.Dispose();
}
