using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Storage;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Client secrets at rest. Secrets we generate carry 256 bits, so a keyed SHA-256 (<c>hmac$…</c>) is as
/// safe as a slow hash and costs microseconds on every token request. Secrets a caller chooses may be
/// weak, so they get PBKDF2 (<c>pbkdf2$…</c>); a successful PBKDF2 check is remembered for a minute,
/// keyed by the stored hash, so a machine client does not pay it on every token request and a
/// secret rotation invalidates it at once.
/// </summary>
public sealed class ClientSecrets(SecretHasher hasher)
{
    const int Iterations = 100_000;
    static readonly TimeSpan Remember = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<string, DateTime> _verified = new();

    public static string Generate() => Secrets.Generate();

    public string Hash(string secret, bool generated)
    {
        if (generated) return "hmac$" + hasher.Hash(secret);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>True for a PBKDF2 hash (a chosen secret), whose check costs a slow hash unless remembered.</summary>
    public static bool IsSlow(string? stored) => stored?.StartsWith("pbkdf2$", StringComparison.Ordinal) == true;

    /// <summary>True when this secret was checked against this stored hash within the last minute: no slow hash will run.</summary>
    public bool IsRemembered(string secret, string stored) => IsRemembered(MemoOf(secret, stored));

    bool IsRemembered(string memo) => _verified.TryGetValue(memo, out var until) && until > DateTime.UtcNow;

    static string MemoOf(string secret, string stored) =>
        stored + "|" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public bool Verify(string secret, string stored)
    {
        if (stored.StartsWith("hmac$", StringComparison.Ordinal)) return hasher.Verify(secret, stored[5..]);
        var parts = stored.Split('$');
        if (parts is not ["pbkdf2", var iterations, var salt, var hash]) return false;

        var memo = MemoOf(secret, stored);
        if (IsRemembered(memo)) return true;

        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, Convert.FromBase64String(salt), int.Parse(iterations, System.Globalization.CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected)) return false;
        if (_verified.Count > 10_000) _verified.Clear();
        _verified[memo] = DateTime.UtcNow + Remember;
        return true;
    }
}
