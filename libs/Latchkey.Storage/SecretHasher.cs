using System.Security.Cryptography;
using System.Text;
using Latchkey.ServiceDefaults;

namespace Latchkey.Storage;

/// <summary>
/// Keyed SHA-256 for secrets the server generates (API keys, client secrets, token signatures).
/// They carry 256 bits of entropy, so a slow hash adds nothing but latency; the key, derived from
/// the system secret, makes a stolen table useless without it. Every configured system secret
/// verifies, the first one hashes, so the secret can rotate.
/// </summary>
public sealed class SecretHasher
{
    readonly byte[][] _keys;

    public SecretHasher(PlatformSettings settings) =>
        _keys = settings.SystemSecrets.Select(s => SHA256.HashData(Encoding.UTF8.GetBytes("latchkey/secret-hash/v1/" + s))).ToArray();

    public string Hash(string secret) => Hash(_keys[0], secret);

    /// <summary>The hashes the secret may be stored under, one per system secret, newest first.</summary>
    public IReadOnlyList<string> Candidates(string secret) => _keys.Select(k => Hash(k, secret)).ToArray();

    public bool Verify(string secret, string storedHash)
    {
        var stored = Encoding.ASCII.GetBytes(storedHash);
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key, secret)), stored)) return true;
        }
        return false;
    }

    static string Hash(byte[] key, string secret)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(secret), mac);
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
