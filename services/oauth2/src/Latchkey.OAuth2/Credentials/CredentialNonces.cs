using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Trust;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Credentials;

/// <summary>
/// The <c>c_nonce</c> a credential proof must carry (Hydra's <c>persister_nonce.go</c>): nothing stored when issued,
/// <c>&lt;expiry&gt;.&lt;random&gt;.&lt;HMAC&gt;</c> under a key derived for the project, over the access token it was issued for, so it
/// is valid only with that token, on that project, until <c>ttl.vc_nonce</c> has passed. Unlike Hydra's, each is
/// redeemed once (<see cref="AssertionJtis"/> keeps it until it expires): a proof cannot be replayed.
/// </summary>
public sealed class CredentialNonces(KeyDerivation keys, AssertionJtis used, IProjectContext project, TimeProvider clock)
{
    /// <summary>The scope under which the token endpoint hands out a nonce and <c>/credentials</c> issues credentials.</summary>
    public const string Scope = "userinfo_credential_draft_00";

    const string Purpose = "vc-nonce";

    public TimeSpan Lifespan => GoDuration.Parse(project.Project.OAuth2.Ttl.VcNonce);

    /// <summary>A fresh nonce (random, so two issued in the same second differ) for the access token.</summary>
    public string Issue(string accessToken)
    {
        var body = $"{clock.GetUtcNow().Add(Lifespan).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16))}";
        return $"{body}.{Mac(keys.For(project.Project.Id, Purpose)[0], accessToken, body)}";
    }

    /// <summary>Null when the nonce was issued for this token, has not expired and was not used before; it is used now.</summary>
    public async Task<OAuth2Error?> RedeemAsync(string accessToken, string nonce, CancellationToken ct)
    {
        var dot = nonce.LastIndexOf('.');
        var body = dot > 0 ? nonce[..dot] : "";
        var expiryText = body.Split('.')[0];
        if (!long.TryParse(expiryText, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || expiresAt > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return CredentialErrors.InvalidNonce;
        var presented = Encoding.ASCII.GetBytes(nonce[(dot + 1)..]);
        if (!keys.For(project.Project.Id, Purpose).Any(key => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(key, accessToken, body)), presented)))
            return CredentialErrors.InvalidNonce;

        var now = clock.GetUtcNow();
        var expiry = DateTimeOffset.FromUnixTimeSeconds(expiresAt);
        if (expiry <= now) return CredentialErrors.NonceExpired;
        return await used.TryMarkUsedAsync("c_nonce", nonce, expiry, now, ct) ? null : CredentialErrors.NonceUsed;
    }

    static string Mac(byte[] key, string accessToken, string body) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"vc-nonce-at:{body}:{accessToken}")));
}
