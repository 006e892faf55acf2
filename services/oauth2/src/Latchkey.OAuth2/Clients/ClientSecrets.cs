using System.Security.Cryptography;
using Latchkey.Storage;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Client secrets at rest. Secrets we generate carry 256 bits, so a keyed SHA-256 (<c>hmac$…</c>) is as
/// safe as a slow hash and costs microseconds on every token request. Secrets a caller chooses may be
/// weak, so they get PBKDF2 (<c>pbkdf2$…</c>).
/// </summary>
public sealed class ClientSecrets(SecretHasher hasher)
{
    const int Iterations = 100_000;

    public static string Generate() => Secrets.Generate();

    public string Hash(string secret, bool generated)
    {
        if (generated) return "hmac$" + hasher.Hash(secret);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public bool Verify(string secret, string stored)
    {
        if (stored.StartsWith("hmac$", StringComparison.Ordinal)) return hasher.Verify(secret, stored[5..]);
        var parts = stored.Split('$');
        if (parts is not ["pbkdf2", var iterations, var salt, var hash]) return false;
        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(secret, Convert.FromBase64String(salt), int.Parse(iterations), HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
