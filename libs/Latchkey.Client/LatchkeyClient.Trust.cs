namespace Latchkey.Client;

// Project admin API, trust (Hydra v2): /admin/trust/grants/jwt-bearer/issuers, the issuers whose signed
// assertions the jwt-bearer grant (RFC 7523) exchanges for tokens.
public sealed partial class LatchkeyClient
{
    const string TrustPath = "/admin/trust/grants/jwt-bearer/issuers";

    /// <summary><c>POST /admin/trust/grants/jwt-bearer/issuers</c> (201).</summary>
    public Task<TrustedOAuth2JwtGrantIssuer> TrustOAuth2JwtGrantIssuerAsync(string project, TrustOAuth2JwtGrantIssuer trust, CancellationToken ct) =>
        ReadAsync<TrustedOAuth2JwtGrantIssuer>(WithJson(CreateAdminRequest(project, HttpMethod.Post, TrustPath), trust), ct);

    /// <summary><c>GET /admin/trust/grants/jwt-bearer/issuers/{id}</c>.</summary>
    public Task<TrustedOAuth2JwtGrantIssuer> GetTrustedOAuth2JwtGrantIssuerAsync(string project, string id, CancellationToken ct) =>
        ReadAsync<TrustedOAuth2JwtGrantIssuer>(CreateAdminRequest(project, HttpMethod.Get, $"{TrustPath}/{Escape(id)}"), ct);

    /// <summary><c>GET /admin/trust/grants/jwt-bearer/issuers[?issuer=]</c>, following the <c>rel="next"</c> pages to the end.</summary>
    public Task<IReadOnlyList<TrustedOAuth2JwtGrantIssuer>> ListTrustedOAuth2JwtGrantIssuersAsync(string project, string? issuer, CancellationToken ct) =>
        ListAllPagesAsync<TrustedOAuth2JwtGrantIssuer>(project,
            string.IsNullOrEmpty(issuer) ? TrustPath : $"{TrustPath}?issuer={Uri.EscapeDataString(issuer)}", ct);

    /// <summary><c>DELETE /admin/trust/grants/jwt-bearer/issuers/{id}</c> (204): the issuer's assertions stop being exchanged.</summary>
    public Task DeleteTrustedOAuth2JwtGrantIssuerAsync(string project, string id, CancellationToken ct) =>
        SendExpectingSuccessAsync(CreateAdminRequest(project, HttpMethod.Delete, $"{TrustPath}/{Escape(id)}"), ct);
}
