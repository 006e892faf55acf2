using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Latchkey.ServiceDefaults;

namespace Latchkey.Storage;

/// <summary>
/// Keyed SHA-256 for secrets the server generates (API keys, client secrets, token signatures).
/// They carry 256 bits of entropy, so no guess list exists for a slow hash to slow down: it would add
/// only latency on every request (and a deterministic hash is what lets a key be found by one indexed
/// read); the key, derived from the system secret, makes a stolen table useless without it. Secrets
/// people choose are guessable and go to <see cref="PasswordHashing"/> instead. Every configured system secret
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
        return Base64Url.EncodeToString(mac);
    }
}
