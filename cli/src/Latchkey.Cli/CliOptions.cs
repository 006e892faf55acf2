using System.CommandLine;

namespace Latchkey.Cli;

/// <summary>Factories for options several commands share, so they read and document the same everywhere.</summary>
static class CliOptions
{
    public static Option<string?> Project() => new("--project")
    {
        Description = $"Project id or slug (default ${CommandContext.ProjectVariable}); an id needs LATCHKEY_WORKSPACE_KEY to resolve",
    };

    public static Option<string[]> Repeatable(string name, string description) => new(name)
    {
        Description = description + " (repeatable, or comma-separated)",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<string?> Text(string name, string description) => new(name) { Description = description };

    public static Option<string?> Choice(string name, string description, params string[] choices)
    {
        var list = string.Join('|', choices);
        // Short choice lists read best as the value's name; long ones would push every description off screen.
        var option = list.Length <= 24
            ? new Option<string?>(name) { Description = description, HelpName = list }
            : new Option<string?>(name) { Description = $"{description}: {string.Join(", ", choices)}" };
        return option.AcceptOnlyFromAmong(choices);
    }

    public static Option<string?> ClientId() => new("--client-id")
    {
        Description = "OAuth2 client id (default $OAUTH2_CLIENT_ID)",
    };

    public static Option<string?> ClientSecret() => new("--client-secret")
    {
        Description = "OAuth2 client secret (default $OAUTH2_CLIENT_SECRET)",
    };
}
