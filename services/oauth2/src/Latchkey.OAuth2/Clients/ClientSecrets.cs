using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Storage;
using Microsoft.AspNetCore.Identity;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Client secrets at rest. Secrets we generate carry 256 bits, so a keyed SHA-256 (<c>hmac$…</c>) is as
/// safe as a slow hash and costs microseconds on every token request. Secrets a caller chooses may be
/// weak, so they get <see cref="PasswordHashing"/>; a successful slow check is remembered for a minute,
/// keyed by the stored hash, so a machine client does not pay it on every token request and a
/// secret rotation invalidates it at once.
/// </summary>
public sealed class ClientSecrets(SecretHasher hasher, TimeProvider clock)
{
    const string Generated = "hmac$";
    static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new();

    public static string Generate() => Secrets.Generate();

    public string Hash(string secret, bool generated) =>
        generated ? Generated + hasher.Hash(secret) : PasswordHashing.Hash(secret);

    /// <summary>True for a slow hash (a chosen secret), whose check costs PBKDF2 unless remembered.</summary>
    public static bool IsSlow(string? stored) => stored is not null && !stored.StartsWith(Generated, StringComparison.Ordinal);

    /// <summary>True when this secret was checked against this stored hash within the last minute: no slow hash will run.</summary>
    public bool IsRemembered(string secret, string stored) => IsRemembered(MemoOf(secret, stored));

    bool IsRemembered(string memo) => _verified.TryGetValue(memo, out var until) && until > clock.GetUtcNow();

    static string MemoOf(string secret, string stored) =>
        stored + "|" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// A hash in an older format still verifies; it is not rewritten here, because OpenIddict's check has no
    /// way to save the client, so it is replaced the next time the secret is set.
    /// </summary>
    public bool Verify(string secret, string stored)
    {
        if (stored.StartsWith(Generated, StringComparison.Ordinal)) return hasher.Verify(secret, stored[Generated.Length..]);

        var memo = MemoOf(secret, stored);
        if (IsRemembered(memo)) return true;
        if (PasswordHashing.Verify(secret, stored) == PasswordVerificationResult.Failed) return false;
        if (_verified.Count > 10_000) _verified.Clear();
        _verified[memo] = clock.GetUtcNow() + Remember;
        return true;
    }
}
