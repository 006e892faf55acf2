namespace Latchkey.OAuth2.Authorizations;

/// <summary>
/// An authorization OpenIddict keeps: a subject's grant of scopes to a client, either permanent (remembered
/// consent) or ad hoc (the chain behind one code and the refresh tokens redeemed from it). The tokens it
/// covers point back at it through <c>TokenEntry.AuthorizationId</c>.
/// </summary>
public sealed class AuthorizationEntry
{
    public Guid Id { get; set; }

    /// <summary>The client_id of the client it was granted to.</summary>
    public string? ApplicationId { get; set; }
    public string? Subject { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public List<string> Scopes { get; set; } = [];
    public DateTimeOffset? CreationDate { get; set; }
    public string? Properties { get; set; }

    /// <summary>Marten's optimistic-concurrency version: a revocation is never undone by a stale update.</summary>
    public Guid Version { get; set; }
}
