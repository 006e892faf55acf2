namespace Latchkey.Console.Platform;

/// <summary>A trust relationship of the jwt-bearer grant, as Hydra's trust API answers it (<c>trustedOAuth2JwtGrantIssuer</c>).</summary>
public sealed record TrustedIssuer(
    string Id, string Issuer, string? Subject, bool AllowAnySubject, List<string>? Scope, TrustedIssuerKey? PublicKey,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>The key a trust relationship verifies assertions with: its set is the issuer.</summary>
public sealed record TrustedIssuerKey(string Set, string Kid);
