using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// PBKDF2-HMAC-SHA512 for passwords people choose: unlike generated secrets they are guessable, so the hash
/// must be slow. Stored as <c>pbkdf2-sha512$iterations$salt$hash</c>, so the cost can rise without a migration.
/// </summary>
internal static class PasswordHashing
{
    // OWASP's current recommendation for PBKDF2-HMAC-SHA512.
    const int Iterations = 210_000;
    const int SaltBytes = 16;
    const int HashBytes = 32;
    const string Scheme = "pbkdf2-sha512";

    /// <summary>Verified against when the account does not exist, so an unknown email costs the same time as a wrong password.</summary>
    public static readonly string Decoy = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations)) return false;
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
