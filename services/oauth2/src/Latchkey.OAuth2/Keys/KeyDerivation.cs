using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Keys;

/// <summary>
/// Derives per-project symmetric keys from the system secrets (HKDF-SHA256), so nothing secret about a
/// token's signature lives in the database, and protects private keys at rest with AES-GCM.
/// The first system secret signs and encrypts; all of them verify and decrypt, so the secret can rotate.
/// </summary>
public sealed class KeyDerivation
{
    readonly byte[][] _secrets;
    readonly ConcurrentDictionary<(Guid, string), byte[][]> _cache = new();

    public KeyDerivation(PlatformSettings settings) =>
        _secrets = settings.SystemSecrets.Select(s => Encoding.UTF8.GetBytes(s)).ToArray();

    /// <summary>The project's keys for a purpose, newest system secret first.</summary>
    public byte[][] For(Guid projectId, string purpose) =>
        _cache.GetOrAdd((projectId, purpose), static (key, secrets) => secrets
            .Select(secret => HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes($"latchkey/{key.Item2}/{key.Item1:N}")))
            .ToArray(), _secrets);

    public string Protect(string plaintext)
    {
        var key = For(Guid.Empty, "key-at-rest")[0];
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[data.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, data, cipher, tag);
        return $"v1.{Convert.ToBase64String(nonce)}.{Convert.ToBase64String(cipher)}.{Convert.ToBase64String(tag)}";
    }

    public string Unprotect(string protectedValue)
    {
        var parts = protectedValue.Split('.');
        if (parts is not ["v1", var n, var c, var t]) throw new CryptographicException("Unknown key protection format.");
        var (nonce, cipher, tag) = (Convert.FromBase64String(n), Convert.FromBase64String(c), Convert.FromBase64String(t));
        var plain = new byte[cipher.Length];
        foreach (var key in For(Guid.Empty, "key-at-rest"))
        {
            try
            {
                using var aes = new AesGcm(key, 16);
                aes.Decrypt(nonce, cipher, tag, plain);
                return Encoding.UTF8.GetString(plain);
            }
            catch (AuthenticationTagMismatchException)
            {
                // Protected under another system secret: try the next one.
            }
        }
        throw new CryptographicException("No configured system secret decrypts this key.");
    }
}
