using System.Text.Json.Nodes;

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
    public JsonObject? Metadata { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

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
        Metadata = c.Metadata ?? [],
        CreatedAt = c.CreatedAt,
        UpdatedAt = c.UpdatedAt,
    };

    /// <summary>Copies the fields onto a client, applying Hydra's defaults for what is missing.</summary>
    public void ApplyTo(StoredClient c)
    {
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
        c.Metadata = Metadata;
        c.ClientSecretExpiresAt = ClientSecretExpiresAt ?? 0;
    }
}
