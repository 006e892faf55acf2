using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>OAuth2 client columns as Hydra's <c>cmd/output_client.go</c>.</summary>
static class OAuth2ClientView
{
    public static readonly IReadOnlyList<string> Headers =
        ["CLIENT ID", "CLIENT SECRET", "GRANT TYPES", "RESPONSE TYPES", "SCOPE", "AUDIENCE", "REDIRECT URIS"];

    public static IReadOnlyList<string?> Columns(OAuth2Client c) =>
    [
        c.ClientId,
        c.ClientSecret,
        Printer.Join(c.GrantTypes),
        Printer.Join(c.ResponseTypes),
        c.Scope,
        Printer.Join(c.Audience),
        Printer.Join(c.RedirectUris),
    ];

    public static IReadOnlyList<KeyValuePair<string, string?>> Fields(OAuth2Client c) =>
        Headers.Zip(Columns(c), (h, v) => new KeyValuePair<string, string?>(h, v)).ToList();
}
