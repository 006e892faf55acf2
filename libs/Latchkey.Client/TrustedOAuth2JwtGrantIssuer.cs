using System.Text.Json.Nodes;

namespace Latchkey.Client;

/// <summary>
/// Hydra's <c>trustOAuth2JwtGrantIssuer</c>, the body of <c>POST /admin/trust/grants/jwt-bearer/issuers</c>: assertions
/// signed by <see cref="Jwk"/> for <see cref="Issuer"/> about <see cref="Subject"/> (or any subject) may be exchanged
/// for tokens with at most <see cref="Scope"/> until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record TrustOAuth2JwtGrantIssuer
{
    public required string Issuer { get; init; }

    /// <summary>Unset when <see cref="AllowAnySubject"/>.</summary>
    public string? Subject { get; init; }

    public bool? AllowAnySubject { get; init; }
    public IReadOnlyList<string> Scope { get; init; } = [];

    /// <summary>The issuer's public JWK with its <c>kid</c>, sent as given.</summary>
    public required JsonObject Jwk { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Hydra's <c>trustedOAuth2JwtGrantIssuer</c>: a trust relationship as the admin API answers it.</summary>
public sealed record TrustedOAuth2JwtGrantIssuer
{
    public string? Id { get; init; }
    public string? Issuer { get; init; }
    public string? Subject { get; init; }
    public bool AllowAnySubject { get; init; }
    public IReadOnlyList<string>? Scope { get; init; }
    public TrustedOAuth2JwtGrantJsonWebKey? PublicKey { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>Hydra's <c>trustedOAuth2JwtGrantJsonWebKey</c>: the trusted key's set (the issuer) and id.</summary>
public sealed record TrustedOAuth2JwtGrantJsonWebKey(string? Set, string? Kid);
