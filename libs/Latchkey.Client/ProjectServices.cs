using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>The <c>services</c> part of a project document.</summary>
public sealed record ProjectServices
{
    [JsonPropertyName("oauth2")]
    public ProjectServiceConfig? OAuth2 { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
