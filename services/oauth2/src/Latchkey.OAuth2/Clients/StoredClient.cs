using System.Text.Json.Nodes;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// An OAuth2 client, stored with Hydra's field names and meanings. The id is the client_id, unique per
/// project. The secret is kept only as a hash (see <see cref="ClientSecrets"/>).
/// </summary>
public sealed class StoredClient
{
    public string Id { get; set; } = "";
    public string ClientName { get; set; } = "";
    public string? ClientSecretHash { get; set; }
    public long ClientSecretExpiresAt { get; set; }
    public List<string> GrantTypes { get; set; } = [];
    public List<string> ResponseTypes { get; set; } = [];
    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];
    public string Scope { get; set; } = "";
    public List<string> Audience { get; set; } = [];
    public List<string> AllowedCorsOrigins { get; set; } = [];
    public List<string> Contacts { get; set; } = [];
    public string TokenEndpointAuthMethod { get; set; } = "client_secret_basic";

    /// <summary>The one algorithm this client's assertions may use (empty: any of <see cref="ClientAssertions.Algorithms"/>).</summary>
    public string? TokenEndpointAuthSigningAlg { get; set; }

    /// <summary>The client's public keys for <c>private_key_jwt</c>, inline; or, instead, <see cref="JwksUri"/>.</summary>
    public JsonObject? Jwks { get; set; }

    public string? JwksUri { get; set; }
    public string? AccessTokenStrategy { get; set; }
    public string SubjectType { get; set; } = "public";
    public string Owner { get; set; } = "";
    public string ClientUri { get; set; } = "";
    public string LogoUri { get; set; } = "";
    public string PolicyUri { get; set; } = "";
    public string TosUri { get; set; } = "";
    public bool SkipConsent { get; set; }
    public bool SkipLogoutConsent { get; set; }

    // OpenID Connect Back-Channel and Front-Channel Logout 1.0: where the client hears that a login session ended.
    public string BackchannelLogoutUri { get; set; } = "";
    public bool BackchannelLogoutSessionRequired { get; set; }
    public string FrontchannelLogoutUri { get; set; } = "";
    public bool FrontchannelLogoutSessionRequired { get; set; }
    public JsonObject? Metadata { get; set; }

    // Hydra's further OpenID Connect client fields, stored and returned as registered.
    public List<string> RequestUris { get; set; } = [];
    public string RequestObjectSigningAlg { get; set; } = "";
    public string SectorIdentifierUri { get; set; } = "";
    public string UserinfoSignedResponseAlg { get; set; } = "none";

    /// <summary>Per-grant token lifespans by Hydra field name (see <see cref="ClientLifespans"/>).</summary>
    public Dictionary<string, string> Lifespans { get; set; } = [];

    /// <summary>
    /// Secrets replaced by <c>POST /admin/clients/{id}/secrets/rotate</c>, newest first, at most
    /// <see cref="RotatedSecret.Kept"/>: each still authenticates the client until the rotated secrets are dropped.
    /// </summary>
    public List<RotatedSecret> RotatedSecrets { get; set; } = [];

    /// <summary>Hash (<c>SecretHasher</c>) of the RFC 7592 registration access token of a dynamically registered client.</summary>
    public string? RegistrationAccessTokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Marten's optimistic-concurrency version.</summary>
    public Guid Version { get; set; }

    public bool IsPublic => TokenEndpointAuthMethod == "none";

    public IEnumerable<string> Scopes => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A client secret that was rotated out: its hash (as <see cref="StoredClient.ClientSecretHash"/>) and when.</summary>
public sealed record RotatedSecret(string Hash, DateTimeOffset RotatedAt)
{
    /// <summary>Hydra keeps the five most recent rotated secrets.</summary>
    public const int Kept = 5;
}
