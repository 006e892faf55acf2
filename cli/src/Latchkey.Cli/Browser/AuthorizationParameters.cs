namespace Latchkey.Cli.Browser;

/// <summary>What every authorization request of one <c>perform authorization-code</c> run asks for.</summary>
sealed record AuthorizationParameters(
    string ClientId,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<string> Prompts,
    int? MaxAge,
    string? State);
