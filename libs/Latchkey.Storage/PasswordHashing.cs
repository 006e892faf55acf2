using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Storage;

/// <summary>
/// The one hash for secrets people choose (account and hosted-user passwords, client secrets a caller picked):
/// they may be guessable, so the hash must be slow. Secrets the server generates carry 256 bits and use the
/// fast keyed <see cref="SecretHasher"/> instead, where a slow hash would add latency and no safety.
/// <para>
/// New hashes are ASP.NET Core Identity's versioned format (PBKDF2-HMAC-SHA512, iteration count inside the
/// hash), so the cost can rise without a migration: a hash made at a lower cost verifies as
/// <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>. So do the three formats this replaced
/// (<c>pbkdf2-sha512$…</c> for accounts, <c>pbkdf2-sha256$…</c> for hosted users, <c>pbkdf2$…</c> for client
/// secrets), which stay readable for the rows that hold them. A malformed stored hash verifies as failed.
/// </para>
/// </summary>
public static class PasswordHashing
{
    // OWASP's current recommendation for PBKDF2-HMAC-SHA512 (Identity's own default is 100,000).
    public const int Iterations = 210_000;

    static readonly PasswordHasher<object> Identity = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = Iterations,
    }));

    static readonly object NoUser = new();

    /// <summary>Verified against when there is no stored hash (unknown email), so that costs as long as a wrong password.</summary>
    static readonly string Decoy = Hash(Secrets.Generate());

    public static string Hash(string password) => Identity.HashPassword(NoUser, password);

    /// <summary>
    /// Checks a password against a stored hash; a null <paramref name="stored"/> runs against a decoy and fails.
    /// <see cref="PasswordVerificationResult.SuccessRehashNeeded"/> asks a caller that can save to store <see cref="Hash"/> anew.
    /// </summary>
    public static PasswordVerificationResult Verify(string password, string? stored)
    {
        if (stored is null)
        {
            Identity.VerifyHashedPassword(NoUser, Decoy, password);
            return PasswordVerificationResult.Failed;
        }
        if (stored.Contains('$', StringComparison.Ordinal)) return VerifyLegacy(password, stored);
        // Identity decodes with Convert.FromBase64String, which throws on a malformed value.
        if (!System.Buffers.Text.Base64.IsValid(stored)) return PasswordVerificationResult.Failed;
        return Identity.VerifyHashedPassword(NoUser, stored, password);
    }

    /// <summary>The <c>scheme$iterations$salt$hash</c> formats written before this module existed.</summary>
    static PasswordVerificationResult VerifyLegacy(string password, string stored)
    {
        if (stored.Split('$') is not [var scheme, var count, var saltText, var hashText]) return PasswordVerificationResult.Failed;
        HashAlgorithmName? algorithm = scheme switch
        {
            "pbkdf2-sha512" => HashAlgorithmName.SHA512,
            "pbkdf2-sha256" or "pbkdf2" => HashAlgorithmName.SHA256,
            _ => null,
        };
        if (algorithm is null
            || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1
            || !TryBase64(saltText, out var salt) || !TryBase64(hashText, out var expected) || expected.Length == 0)
            return PasswordVerificationResult.Failed;

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, algorithm.Value, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Failed;
    }

    static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return false;
        bytes = bytes[..written];
        return true;
    }
}
