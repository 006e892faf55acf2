namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// A token OpenIddict issued. For opaque tokens (<c>lk_at_…</c>) only <see cref="Signature"/> — the HMAC part
/// of the token — is stored, never the token itself. <see cref="Payload"/> is OpenIddict's encrypted claims
/// envelope, which cannot be presented as a token (see <c>OpaqueTokens</c>).
/// </summary>
public sealed class TokenEntry
{
    public Guid Id { get; set; }
    public string? ApplicationId { get; set; }
    public string? AuthorizationId { get; set; }
    public string? Subject { get; set; }
    public string? Type { get; set; }
    public string? Status { get; set; }
    public DateTimeOffset? CreationDate { get; set; }
    public DateTimeOffset? ExpirationDate { get; set; }
    public DateTimeOffset? RedemptionDate { get; set; }
    public string? Signature { get; set; }
    public string? Payload { get; set; }
    public string? Properties { get; set; }

    /// <summary>Marten's optimistic-concurrency version: one-time use of codes and refresh tokens relies on it.</summary>
    public Guid Version { get; set; }
}
