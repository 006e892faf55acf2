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
}

public sealed record StrategiesConfig
{
    public string AccessToken { get; init; } = "opaque";
}

public sealed record OAuth2Section
{
    public PkceConfig Pkce { get; init; } = new();
    public GrantConfig Grant { get; init; } = new();
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
