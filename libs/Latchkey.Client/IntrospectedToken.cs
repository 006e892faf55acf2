using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>The answer of <c>POST /admin/oauth2/introspect</c> (Hydra's <c>introspectedOAuth2Token</c>).</summary>
public sealed record IntrospectedToken
{
    public bool Active { get; init; }
    public string? ClientId { get; init; }
    public string? Sub { get; init; }
    public string? ObfuscatedSubject { get; init; }
    public string? Scope { get; init; }
    public long? Exp { get; init; }
    public long? Iat { get; init; }
    public long? Nbf { get; init; }
    public string? Iss { get; init; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public IReadOnlyList<string>? Aud { get; init; }

    public string? TokenType { get; init; }

    /// <summary><c>access_token</c> or <c>refresh_token</c>.</summary>
    public string? TokenUse { get; init; }

    public string? Username { get; init; }
    public JsonObject? Ext { get; init; }
}
