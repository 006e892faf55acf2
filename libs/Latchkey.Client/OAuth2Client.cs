using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>An OAuth2 client in Hydra v2's wire shape (<c>oAuth2Client</c>); unset fields are not sent.</summary>
public sealed record OAuth2Client
{
    public string? ClientId { get; init; }
    public string? ClientName { get; init; }
    public string? ClientSecret { get; init; }
    public long? ClientSecretExpiresAt { get; init; }
    public IReadOnlyList<string>? GrantTypes { get; init; }
    public IReadOnlyList<string>? ResponseTypes { get; init; }
    public IReadOnlyList<string>? RedirectUris { get; init; }
    public IReadOnlyList<string>? PostLogoutRedirectUris { get; init; }

    /// <summary>Space-separated, as in Hydra.</summary>
    public string? Scope { get; init; }

    public IReadOnlyList<string>? Audience { get; init; }
    public IReadOnlyList<string>? AllowedCorsOrigins { get; init; }

    /// <summary><c>client_secret_basic</c> (Hydra's default), <c>client_secret_post</c>, <c>private_key_jwt</c> or <c>none</c>.</summary>
    public string? TokenEndpointAuthMethod { get; init; }

    public string? TokenEndpointAuthSigningAlg { get; init; }

    /// <summary><c>opaque</c> or <c>jwt</c>; unset means the project's <c>strategies.access_token</c>.</summary>
    public string? AccessTokenStrategy { get; init; }

    public bool? SkipConsent { get; init; }
    public bool? SkipLogoutConsent { get; init; }
    public JsonNode? Metadata { get; init; }
    public string? Owner { get; init; }
    public IReadOnlyList<string>? Contacts { get; init; }
    public string? ClientUri { get; init; }
    public string? LogoUri { get; init; }
    public string? PolicyUri { get; init; }
    public string? TosUri { get; init; }

    /// <summary><c>public</c> or <c>pairwise</c>.</summary>
    public string? SubjectType { get; init; }

    public string? SectorIdentifierUri { get; init; }
    public JsonObject? Jwks { get; init; }
    public string? JwksUri { get; init; }
    public string? RequestObjectSigningAlg { get; init; }
    public IReadOnlyList<string>? RequestUris { get; init; }
    public string? UserinfoSignedResponseAlg { get; init; }
    public string? FrontchannelLogoutUri { get; init; }
    public bool? FrontchannelLogoutSessionRequired { get; init; }
    public string? BackchannelLogoutUri { get; init; }
    public bool? BackchannelLogoutSessionRequired { get; init; }
    public string? RegistrationAccessToken { get; init; }
    public string? RegistrationClientUri { get; init; }

    // Per-grant token lifespans, Go-style durations such as "1h".
    public string? AuthorizationCodeGrantAccessTokenLifespan { get; init; }
    public string? AuthorizationCodeGrantIdTokenLifespan { get; init; }
    public string? AuthorizationCodeGrantRefreshTokenLifespan { get; init; }
    public string? ClientCredentialsGrantAccessTokenLifespan { get; init; }
    public string? DeviceAuthorizationGrantAccessTokenLifespan { get; init; }
    public string? DeviceAuthorizationGrantIdTokenLifespan { get; init; }
    public string? DeviceAuthorizationGrantRefreshTokenLifespan { get; init; }
    public string? ImplicitGrantAccessTokenLifespan { get; init; }
    public string? ImplicitGrantIdTokenLifespan { get; init; }
    public string? JwtBearerGrantAccessTokenLifespan { get; init; }
    public string? RefreshTokenGrantAccessTokenLifespan { get; init; }
    public string? RefreshTokenGrantIdTokenLifespan { get; init; }
    public string? RefreshTokenGrantRefreshTokenLifespan { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Fields this client does not model; sent back unchanged on update.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
