using System.Text.Json.Serialization;

namespace Latchkey.OAuth2.Tokens;

/// <summary>Hydra's <c>introspectedOAuth2Token</c>.</summary>
public sealed record IntrospectionJson
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool Active { get; init; }
    public string? ClientId { get; init; }
    public string? Sub { get; init; }
    public string? Scope { get; init; }
    public string[]? Aud { get; init; }
    public long? Exp { get; init; }
    public long? Iat { get; init; }
    public long? Nbf { get; init; }
    public string? Iss { get; init; }
    public string? TokenType { get; init; }
    public string? TokenUse { get; init; }

    /// <summary>The token's extra claims (a consent's <c>session.access_token</c>, a token hook's answer), omitted when none.</summary>
    public System.Text.Json.Nodes.JsonObject? Ext { get; init; }
}
