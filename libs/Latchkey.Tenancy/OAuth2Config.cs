using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Tenancy;

/// <summary>
/// A project's <c>services.oauth2.config</c>: the Hydra configuration keys a project owner may set.
/// Serialized with snake_case names, so <c>Ttl.AccessToken</c> is <c>ttl.access_token</c>, as in Hydra.
/// </summary>
public sealed record OAuth2Config
{
    public UrlsConfig Urls { get; init; } = new();
    public TtlConfig Ttl { get; init; } = new();
    public StrategiesConfig Strategies { get; init; } = new();

    [JsonPropertyName("oauth2")]
    public OAuth2Section OAuth2 { get; init; } = new();

    public ClientsConfig Clients { get; init; } = new();

    public OidcConfig Oidc { get; init; } = new();
}

/// <summary>Hydra's <c>oidc</c>.</summary>
public sealed record OidcConfig
{
    public DynamicClientRegistrationConfig DynamicClientRegistration { get; init; } = new();
}

/// <summary>Hydra's <c>oidc.dynamic_client_registration</c>: RFC 7591/7592 at <c>/oauth2/register</c>, off by default.</summary>
public sealed record DynamicClientRegistrationConfig
{
    public bool Enabled { get; init; }

    /// <summary>The scope of a registered client that asks for none.</summary>
    public List<string> DefaultScope { get; init; } = [];

    // A config is a value: two with the same scopes are equal (a record compares a list by reference).
    public bool Equals(DynamicClientRegistrationConfig? other) =>
        other is not null && Enabled == other.Enabled && DefaultScope.SequenceEqual(other.DefaultScope);

    public override int GetHashCode() => HashCode.Combine(Enabled, DefaultScope.Count);
}

/// <summary>Hydra's <c>clients</c>: how the server calls URLs a project configured (hooks, JWKS URIs, logout).</summary>
public sealed record ClientsConfig
{
    public ClientsHttpConfig Http { get; init; } = new();
}

public sealed record ClientsHttpConfig
{
    /// <summary>Hydra's key; on by default here (Hydra's default is off): a hosted platform must not reach its own network.</summary>
    public bool DisallowPrivateIpRanges { get; init; } = true;
}

public sealed record UrlsConfig
{
    public string? Login { get; init; }
    public string? Consent { get; init; }
    public string? Logout { get; init; }
    public string? Error { get; init; }
    public string? PostLogoutRedirect { get; init; }
    public DeviceUrlsConfig Device { get; init; } = new();
}

/// <summary>Hydra's <c>urls.device</c>: the project's device-verification app (enter the user code) and the page shown after.</summary>
public sealed record DeviceUrlsConfig
{
    public string? Verification { get; init; }
    public string? Success { get; init; }
}

public sealed record TtlConfig
{
    public string AccessToken { get; init; } = "1h";
    public string RefreshToken { get; init; } = "720h";
    public string IdToken { get; init; } = "1h";
    public string AuthCode { get; init; } = "10m";
    public string LoginConsentRequest { get; init; } = "30m";
    /// <summary>How long a remembered login lasts when the login app sets no <c>remember_for</c>.</summary>
    public string AuthenticationSession { get; init; } = "720h";
    /// <summary>How long a device authorization's user code and device code are valid (RFC 8628 <c>expires_in</c>).</summary>
    public string DeviceUserCode { get; init; } = "10m";
    /// <summary>How long a verifiable-credentials <c>c_nonce</c> is valid (Hydra's <c>ttl.vc_nonce</c>).</summary>
    public string VcNonce { get; init; } = "1h";
}

public sealed record StrategiesConfig
{
    public string AccessToken { get; init; } = "opaque";
}

public sealed record OAuth2Section
{
    public PkceConfig Pkce { get; init; } = new();
    public DeviceAuthorizationConfig DeviceAuthorization { get; init; } = new();
    public GrantConfig Grant { get; init; } = new();

    /// <summary>Hydra's <c>oauth2.token_hook</c>: called before every token is issued, for every grant.</summary>
    public HookConfig? TokenHook { get; init; }

    /// <summary>Hydra's older <c>oauth2.refresh_token_hook</c>: called before tokens are issued by the refresh-token grant.</summary>
    public HookConfig? RefreshTokenHook { get; init; }
}

/// <summary>
/// Hydra's <c>webhook_config</c>: <c>{url, auth: {type: api_key, config: {in: header|cookie, name, value}}}</c>, or just
/// the URL as a string (<see cref="HookConfigConverter"/>). <see cref="HookAuthConfig.Value"/> is a credential.
/// </summary>
[JsonConverter(typeof(HookConfigConverter))]
public sealed record HookConfig
{
    public string Url { get; init; } = "";
    public HookAuth? Auth { get; init; }
}

public sealed record HookAuth
{
    public string Type { get; init; } = "api_key";
    public HookAuthConfig Config { get; init; } = new();
}

public sealed record HookAuthConfig
{
    public string In { get; init; } = "header";
    public string Name { get; init; } = "";
    public string Value { get; init; } = "";
}

/// <summary>Hydra's <c>oauth2.device_authorization</c>.</summary>
public sealed record DeviceAuthorizationConfig
{
    /// <summary>The RFC 8628 <c>interval</c>: how often a device may poll the token endpoint; faster polls get <c>slow_down</c>.</summary>
    public string TokenPollingInterval { get; init; } = "5s";
}

/// <summary>Hydra's <c>oauth2.grant</c>.</summary>
public sealed record GrantConfig
{
    public JwtGrantConfig Jwt { get; init; } = new();
}

/// <summary>
/// Hydra's <c>oauth2.grant.jwt</c>: the rules for JWT assertions (RFC 7523), both the jwt-bearer grant's and the
/// <c>private_key_jwt</c> client assertions.
/// </summary>
public sealed record JwtGrantConfig
{
    /// <summary>The longest an assertion may live, from its <c>iat</c> (or now) to its <c>exp</c>.</summary>
    public string MaxTtl { get; init; } = "720h";

    /// <summary>When true, an assertion without <c>jti</c> is accepted (and cannot be checked for replay).</summary>
    public bool JtiOptional { get; init; }

    /// <summary>When true, an assertion without <c>iat</c> is accepted.</summary>
    public bool IatOptional { get; init; }
}

public sealed record PkceConfig
{
    public bool Enforced { get; init; }
    public bool EnforcedForPublicClients { get; init; } = true;
}

/// <summary>Reads a hook as Hydra's config does, a URL string or a <c>webhook_config</c> object; writes the object.</summary>
public sealed class HookConfigConverter : JsonConverter<HookConfig>
{
    public override HookConfig? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new HookConfig { Url = reader.GetString()! };
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A hook is a URL or an object {url, auth}.");
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("url" or "auth")) throw new JsonException($"A hook has no key '{property.Name}'; its keys are url and auth.");
        }
        var url = root.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : throw new JsonException("A hook needs a url string.");
        var auth = root.TryGetProperty("auth", out var a) && a.ValueKind != JsonValueKind.Null ? a.Deserialize<HookAuth>(options) : null;
        return new HookConfig { Url = url, Auth = auth };
    }

    public override void Write(Utf8JsonWriter writer, HookConfig value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(options.PropertyNamingPolicy?.ConvertName("Url") ?? "url", value.Url);
        writer.WritePropertyName(options.PropertyNamingPolicy?.ConvertName("Auth") ?? "auth");
        JsonSerializer.Serialize(writer, value.Auth, options);
        writer.WriteEndObject();
    }
}
