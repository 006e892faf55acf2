namespace Latchkey.OAuth2.Trust;

/// <summary>Hydra's <c>trustedOAuth2JwtGrantIssuer</c> (snake_case on the wire).</summary>
public sealed record TrustJson(
    string Id, string Issuer, string Subject, bool AllowAnySubject, List<string> Scope, TrustKeyJson PublicKey,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    public static TrustJson From(TrustedIssuer t) =>
        new(t.Id.ToString(), t.Issuer, t.Subject, t.AllowAnySubject, t.Scope, new TrustKeyJson(t.Issuer, t.KeyId), t.CreatedAt, t.ExpiresAt);
}

/// <summary>Hydra's <c>trustedOAuth2JwtGrantJsonWebKey</c>: the key's set is the issuer.</summary>
public sealed record TrustKeyJson(string Set, string Kid);
