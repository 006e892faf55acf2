using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Latchkey.OAuth2.Keys;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// Hydra-style opaque tokens: <c>lk_at_&lt;random&gt;.&lt;signature&gt;</c>, where the signature is an HMAC of
/// the random part under a key derived for the project. Only the signature is stored, so a database
/// leak yields no usable token, and a token whose signature does not verify is refused without a read.
/// </summary>
public sealed class OpaqueTokens(KeyDerivation keys)
{
    const string Purpose = "token-hmac";

    public static string PrefixFor(string? tokenType) => tokenType switch
    {
        TokenTypeIdentifiers.AccessToken => "lk_at_",
        TokenTypeIdentifiers.RefreshToken => "lk_rt_",
        TokenTypeIdentifiers.Private.AuthorizationCode => "lk_ac_",
        TokenTypeIdentifiers.Private.DeviceCode => "lk_dc_",
        _ => "lk_tk_",
    };

    /// <summary>Every prefix above is this long: the part of a token its signature does not cover.</summary>
    public const int PrefixLength = 6;

    public static bool LooksOpaque(string token) => token.StartsWith("lk_", StringComparison.Ordinal);

    public (string Token, string Signature) Create(Guid projectId, string? tokenType)
    {
        var random = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var signature = Sign(keys.For(projectId, Purpose)[0], random);
        return ($"{PrefixFor(tokenType)}{random}.{signature}", signature);
    }

    /// <summary>The stored signature of a well-formed token of this project, or null.</summary>
    public string? Verify(Guid projectId, string token)
    {
        if (token.Length is < 10 or > 200 || !LooksOpaque(token)) return null;
        var body = token.AsSpan(PrefixLength);
        var dot = body.IndexOf('.');
        if (dot <= 0) return null;
        var random = body[..dot].ToString();
        var presented = body[(dot + 1)..].ToString();
        foreach (var key in keys.For(projectId, Purpose))
        {
            var expected = Sign(key, random);
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented)))
                return expected;
        }
        return null;
    }

    /// <summary>
    /// The entry id of an opaque token: the first 128 bits of its signature. Lookups by signature are then
    /// primary-key reads, whatever the planner knows about a project that just issued a million tokens.
    /// </summary>
    public static Guid IdFor(string signature)
    {
        Span<byte> bytes = stackalloc byte[32];
        return Base64Url.TryDecodeFromChars(signature, bytes, out var written) && written >= 16
            ? new Guid(bytes[..16])
            : Guid.Empty;
    }

    static string Sign(byte[] key, string random)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(random), mac);
        return Base64Url.EncodeToString(mac);
    }
}
