using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Device;

/// <summary>
/// RFC 8628 user codes, made to be typed on a phone: eight letters from an alphabet without vowels (no words)
/// and without look-alikes (no 0/O, 1/I/L), shown as <c>BCDF-GHJK</c>, read back case- and dash-insensitively
/// (§6.1). 20⁸ ≈ 2.6·10¹⁰ codes; guessing is bounded by <see cref="DeviceService"/>'s attempt limits. Only an
/// HMAC of the code under a key derived for the project is stored, as the token entry's signature.
/// </summary>
public sealed class UserCodes(KeyDerivation keys)
{
    public const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";
    public const int Length = 8;
    public const string DisplayFormat = "{0}{1}{2}{3}-{4}{5}{6}{7}";
    const string Purpose = "user-code-hmac";

    /// <summary>A new code (without its dash: OpenIddict shows it with <see cref="DisplayFormat"/>) and its signature.</summary>
    public (string Code, string Signature) Create(Guid projectId)
    {
        var code = RandomNumberGenerator.GetString(Alphabet, Length);
        return (code, Sign(projectId, code));
    }

    /// <summary>The signature of what a user typed, or null when it cannot be a user code at all.</summary>
    public string? SignatureOf(Guid projectId, string? typed) => Normalize(typed) is { } code ? Sign(projectId, code) : null;

    /// <summary>Upper case, separators dropped; null unless exactly <see cref="Length"/> letters of the alphabet remain.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrEmpty(typed) || typed.Length > 64) return null;
        var code = new StringBuilder(Length);
        foreach (var c in typed)
        {
            if (c is '-' or ' ') continue;
            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal)) return null;
            code.Append(upper);
        }
        return code.Length == Length ? code.ToString() : null;
    }

    string Sign(Guid projectId, string code)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(keys.For(projectId, Purpose)[0], Encoding.ASCII.GetBytes(code), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>
    /// What the user code's entry remembers for the device app's step (which runs before OpenIddict sees the code):
    /// the device code it belongs to and the scopes and audiences the device asked for.
    /// </summary>
    public static string PropertiesOf(ClaimsPrincipal principal, OpenIddictRequest? request) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        [DeviceCodeIdProperty] = principal.GetClaim(Claims.Private.DeviceCodeId),
        [ScopeProperty] = principal.GetScopes().ToArray(),
        [AudienceProperty] = request is null ? [] : Audiences.Requested(request),
    });

    /// <summary>The grant of a stored user code entry, if it is one that can still be accepted.</summary>
    public static UserCodeGrant? GrantOf(TokenEntry? entry, DateTimeOffset now)
    {
        if (entry is not { Type: TokenTypeIdentifiers.Private.UserCode, Status: Statuses.Valid, ApplicationId: { } clientId, Properties: { } properties }
            || entry.ExpirationDate is not { } expires || expires <= now) return null;
        using var json = JsonDocument.Parse(properties);
        var root = json.RootElement;
        static string[] Strings(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString() ?? "")] : [];
        Guid? deviceCode = root.TryGetProperty(DeviceCodeIdProperty, out var id) && Guid.TryParse(id.GetString(), out var parsed) ? parsed : null;
        return new UserCodeGrant(entry.Id, deviceCode, clientId, Strings(root, ScopeProperty), Strings(root, AudienceProperty));
    }

    const string DeviceCodeIdProperty = "lk_device_code_id";
    const string ScopeProperty = "lk_scope";
    const string AudienceProperty = "lk_audience";
}
