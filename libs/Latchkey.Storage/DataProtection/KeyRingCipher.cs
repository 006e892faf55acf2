using System.Security.Cryptography;
using System.Text;

namespace Latchkey.Storage.DataProtection;

/// <summary>
/// AES-256-GCM under a key derived (HKDF-SHA256) from a system secret: <c>nonce ‖ ciphertext ‖ tag</c>.
/// Decrypting tries every secret, so a ring written under the old secret is still read after rotation.
/// </summary>
static class KeyRingCipher
{
    const int NonceBytes = 12;
    const int TagBytes = 16;
    static readonly byte[] Info = Encoding.UTF8.GetBytes("latchkey data-protection key ring v1");

    public static byte[] Encrypt(string secret, byte[] plaintext)
    {
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(KeyOf(secret), TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length));
        return sealedBytes;
    }

    public static byte[] Decrypt(IReadOnlyList<string> secrets, byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes) throw new CryptographicException("The key ring entry is truncated.");
        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        foreach (var secret in secrets)
        {
            using var aes = new AesGcm(KeyOf(secret), TagBytes);
            try
            {
                aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), plaintext);
                return plaintext;
            }
            catch (AuthenticationTagMismatchException)
            {
                // Written under another of the secrets: try the next one.
            }
        }
        throw new CryptographicException("No configured LATCHKEY_SECRETS_SYSTEM entry decrypts this data-protection key; was the secret it was written under removed?");
    }

    static byte[] KeyOf(string secret) => HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Info);
}
