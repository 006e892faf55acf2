namespace Latchkey.OAuth2.Trust;

/// <summary>
/// Hydra's trust relationship for the jwt-bearer grant (RFC 7523 §2.1): assertions signed by the key
/// <see cref="KeyId"/> of <see cref="Issuer"/> about <see cref="Subject"/> (or any subject) may be exchanged for
/// tokens with at most <see cref="Scope"/> until <see cref="ExpiresAt"/>. Unique per project by (issuer, subject, kid).
/// </summary>
public sealed class TrustedIssuer
{
    public Guid Id { get; set; }
    public string Issuer { get; set; } = "";

    /// <summary>Empty when <see cref="AllowAnySubject"/>.</summary>
    public string Subject { get; set; } = "";

    public bool AllowAnySubject { get; set; }
    public List<string> Scope { get; set; } = [];
    public string KeyId { get; set; } = "";

    /// <summary>The public JWK as the caller sent it (private parts refused at creation).</summary>
    public string Jwk { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
