using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>Token response columns as the Ory CLI's: ACCESS TOKEN, REFRESH TOKEN, ID TOKEN, EXPIRY.</summary>
static class TokenView
{
    public static IReadOnlyList<KeyValuePair<string, string?>> Fields(OAuth2TokenResponse t, DateTimeOffset receivedAt) =>
    [
        new("ACCESS TOKEN", t.AccessToken),
        new("REFRESH TOKEN", t.RefreshToken),
        new("ID TOKEN", t.IdToken),
        new("EXPIRY", t.ExpiresIn is { } seconds ? Printer.Time(receivedAt.AddSeconds(seconds)) : null),
    ];
}
