using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>The parts of <c>/.well-known/openid-configuration</c> callers usually need; the rest is kept.</summary>
public sealed record OpenIdConfiguration
{
    public string Issuer { get; init; } = "";
    public string? AuthorizationEndpoint { get; init; }
    public string? TokenEndpoint { get; init; }
    public string? JwksUri { get; init; }
    public string? UserinfoEndpoint { get; init; }
    public string? RevocationEndpoint { get; init; }
    public string? EndSessionEndpoint { get; init; }
    public string? DeviceAuthorizationEndpoint { get; init; }
    public string? RegistrationEndpoint { get; init; }
    public IReadOnlyList<string>? GrantTypesSupported { get; init; }
    public IReadOnlyList<string>? ResponseTypesSupported { get; init; }
    public IReadOnlyList<string>? ScopesSupported { get; init; }
    public IReadOnlyList<string>? SubjectTypesSupported { get; init; }
    public IReadOnlyList<string>? TokenEndpointAuthMethodsSupported { get; init; }
    public IReadOnlyList<string>? IdTokenSigningAlgValuesSupported { get; init; }
    public IReadOnlyList<string>? CodeChallengeMethodsSupported { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
