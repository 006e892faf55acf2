using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Clients;

/// <summary>Hydra's <c>oAuth2Client</c> wire shape (snake_case on the wire).</summary>
public sealed record ClientJson
{
    public string? ClientId { get; init; }
    public string? ClientName { get; init; }
    public string? ClientSecret { get; init; }
    public long? ClientSecretExpiresAt { get; init; }
    public List<string>? GrantTypes { get; init; }
    public List<string>? ResponseTypes { get; init; }
    public List<string>? RedirectUris { get; init; }
    public List<string>? PostLogoutRedirectUris { get; init; }
    public string? Scope { get; init; }
    public List<string>? Audience { get; init; }
    public List<string>? AllowedCorsOrigins { get; init; }
    public List<string>? Contacts { get; init; }
    public string? TokenEndpointAuthMethod { get; init; }
    public string? TokenEndpointAuthSigningAlg { get; init; }
    public JsonObject? Jwks { get; init; }
    public string? JwksUri { get; init; }
    public string? AccessTokenStrategy { get; init; }
    public string? SubjectType { get; init; }
    public string? Owner { get; init; }
    public string? ClientUri { get; init; }
    public string? LogoUri { get; init; }
    public string? PolicyUri { get; init; }
    public string? TosUri { get; init; }
    public bool? SkipConsent { get; init; }
    public bool? SkipLogoutConsent { get; init; }
    public string? BackchannelLogoutUri { get; init; }
    public bool? BackchannelLogoutSessionRequired { get; init; }
    public string? FrontchannelLogoutUri { get; init; }
    public bool? FrontchannelLogoutSessionRequired { get; init; }
    public JsonObject? Metadata { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public List<string>? RequestUris { get; init; }
    public string? RequestObjectSigningAlg { get; init; }
    public string? SectorIdentifierUri { get; init; }
    public string? UserinfoSignedResponseAlg { get; init; }

    /// <summary>RFC 7592's management credentials, only in the answers of dynamic client registration.</summary>
    public string? RegistrationAccessToken { get; init; }
    public string? RegistrationClientUri { get; init; }

    /// <summary>
    /// Every other field: Hydra's 13 per-grant lifespans live flat in the client (see <see cref="ClientLifespans"/>);
    /// fields Hydra does not know are ignored, as Hydra ignores them.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }

    public static ClientJson From(StoredClient c, string? secret = null) => new()
    {
        ClientId = c.Id,
        ClientName = c.ClientName,
        ClientSecret = secret,
        ClientSecretExpiresAt = c.ClientSecretExpiresAt,
        GrantTypes = c.GrantTypes,
        ResponseTypes = c.ResponseTypes,
        RedirectUris = c.RedirectUris,
        PostLogoutRedirectUris = c.PostLogoutRedirectUris,
        Scope = c.Scope,
        Audience = c.Audience,
        AllowedCorsOrigins = c.AllowedCorsOrigins,
        Contacts = c.Contacts,
        TokenEndpointAuthMethod = c.TokenEndpointAuthMethod,
        TokenEndpointAuthSigningAlg = c.TokenEndpointAuthSigningAlg ?? "",
        Jwks = c.Jwks?.DeepClone().AsObject() ?? [],
        JwksUri = c.JwksUri ?? "",
        AccessTokenStrategy = c.AccessTokenStrategy,
        SubjectType = c.SubjectType,
        Owner = c.Owner,
        ClientUri = c.ClientUri,
        LogoUri = c.LogoUri,
        PolicyUri = c.PolicyUri,
        TosUri = c.TosUri,
        SkipConsent = c.SkipConsent,
        SkipLogoutConsent = c.SkipLogoutConsent,
        BackchannelLogoutUri = c.BackchannelLogoutUri,
        BackchannelLogoutSessionRequired = c.BackchannelLogoutSessionRequired,
        FrontchannelLogoutUri = c.FrontchannelLogoutUri,
        FrontchannelLogoutSessionRequired = c.FrontchannelLogoutSessionRequired,
        Metadata = c.Metadata ?? [],
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
        RequestUris = c.RequestUris,
        RequestObjectSigningAlg = c.RequestObjectSigningAlg,
        SectorIdentifierUri = c.SectorIdentifierUri,
        UserinfoSignedResponseAlg = c.UserinfoSignedResponseAlg,
        Other = ClientLifespans.Write(c),
    };

    /// <summary>
    /// Copies the fields onto a client, applying Hydra's defaults for what is missing. Returns the first lifespan
    /// that is not a valid duration, with nothing changed; every other rule is <see cref="ClientValidator"/>'s.
    /// </summary>
    public OAuth2Error? ApplyTo(StoredClient c)
    {
        var (lifespans, lifespanError) = ClientLifespans.Read(Other);
        if (lifespanError is not null) return lifespanError;
        c.Lifespans = lifespans!;
        c.ClientName = ClientName ?? "";
        c.GrantTypes = GrantTypes is { Count: > 0 } ? [.. GrantTypes.Distinct()] : ["authorization_code"];
        c.ResponseTypes = ResponseTypes is { Count: > 0 } ? [.. ResponseTypes.Distinct()] : ["code"];
        c.RedirectUris = RedirectUris ?? [];
        c.PostLogoutRedirectUris = PostLogoutRedirectUris ?? [];
        c.Scope = Scope ?? "offline_access offline openid";
        c.Audience = Audience ?? [];
        c.AllowedCorsOrigins = AllowedCorsOrigins ?? [];
        c.Contacts = Contacts ?? [];
        c.TokenEndpointAuthMethod = string.IsNullOrEmpty(TokenEndpointAuthMethod) ? "client_secret_basic" : TokenEndpointAuthMethod;
        c.TokenEndpointAuthSigningAlg = string.IsNullOrEmpty(TokenEndpointAuthSigningAlg) ? null : TokenEndpointAuthSigningAlg;
        // Hydra answers an unset jwks as {}: an empty object, or one without keys, is no key set.
        c.Jwks = Jwks is { Count: > 0 } ? Jwks : null;
        c.JwksUri = string.IsNullOrEmpty(JwksUri) ? null : JwksUri;
        c.AccessTokenStrategy = string.IsNullOrEmpty(AccessTokenStrategy) ? null : AccessTokenStrategy;
        c.SubjectType = string.IsNullOrEmpty(SubjectType) ? "public" : SubjectType;
        c.Owner = Owner ?? "";
        c.ClientUri = ClientUri ?? "";
        c.LogoUri = LogoUri ?? "";
        c.PolicyUri = PolicyUri ?? "";
        c.TosUri = TosUri ?? "";
        c.SkipConsent = SkipConsent ?? false;
        c.SkipLogoutConsent = SkipLogoutConsent ?? false;
        c.BackchannelLogoutUri = BackchannelLogoutUri ?? "";
        c.BackchannelLogoutSessionRequired = BackchannelLogoutSessionRequired ?? false;
        c.FrontchannelLogoutUri = FrontchannelLogoutUri ?? "";
        c.FrontchannelLogoutSessionRequired = FrontchannelLogoutSessionRequired ?? false;
        c.Metadata = Metadata;
        c.ClientSecretExpiresAt = ClientSecretExpiresAt ?? 0;
        c.RequestUris = RequestUris ?? [];
        c.RequestObjectSigningAlg = RequestObjectSigningAlg ?? "";
        c.SectorIdentifierUri = SectorIdentifierUri ?? "";
        c.UserinfoSignedResponseAlg = string.IsNullOrEmpty(UserinfoSignedResponseAlg) ? "none" : UserinfoSignedResponseAlg;
        return null;
    }
}
