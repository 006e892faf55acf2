using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>A successful answer of <c>POST /oauth2/token</c> (RFC 6749 §5.1).</summary>
public sealed record OAuth2TokenResponse
{
    public string AccessToken { get; init; } = "";
    public string? TokenType { get; init; }
    public long? ExpiresIn { get; init; }
    public string? Scope { get; init; }
    public string? RefreshToken { get; init; }
    public string? IdToken { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
