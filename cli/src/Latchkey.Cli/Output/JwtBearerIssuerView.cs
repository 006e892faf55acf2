using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>Trusted jwt-bearer issuers, with the columns of Hydra's <c>trustedOAuth2JwtGrantIssuer</c>.</summary>
static class JwtBearerIssuerView
{
    public static readonly IReadOnlyList<string> Headers =
        ["ID", "ISSUER", "SUBJECT", "ALLOW ANY SUBJECT", "SCOPE", "KEY ID", "EXPIRES AT"];

    public static IReadOnlyList<string?> Columns(TrustedOAuth2JwtGrantIssuer t) =>
    [
        t.Id,
        t.Issuer,
        t.Subject,
        t.AllowAnySubject ? "true" : "false",
        Printer.Join(t.Scope),
        t.PublicKey?.Kid,
        Printer.Time(t.ExpiresAt),
    ];

    public static IReadOnlyList<KeyValuePair<string, string?>> Fields(TrustedOAuth2JwtGrantIssuer t) =>
    [
        .. Headers.Zip(Columns(t), (h, v) => new KeyValuePair<string, string?>(h, v)),
        new("CREATED AT", Printer.Time(t.CreatedAt)),
    ];

    public static void Print(Printer printer, IReadOnlyList<TrustedOAuth2JwtGrantIssuer> issuers)
    {
        if (issuers.Count == 1)
            printer.Item(issuers[0], Fields(issuers[0]), issuers[0].Id);
        else
            printer.List(issuers, Headers, Columns, t => t.Id);
    }
}
