using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>Project API key columns. A created key shows its value, the only time it is ever shown.</summary>
static class ApiKeyView
{
    public static readonly IReadOnlyList<string> Headers = ["ID", "NAME", "LAST CHARACTERS", "CREATED AT"];

    public static IReadOnlyList<string?> Columns(ProjectApiKey k) => [k.Id, k.Name, k.LastCharacters, Printer.Time(k.CreatedAt)];

    public static IReadOnlyList<KeyValuePair<string, string?>> Fields(ProjectApiKey k) =>
    [
        new("ID", k.Id),
        new("NAME", k.Name),
        new("VALUE", k.Value),
        new("CREATED AT", Printer.Time(k.CreatedAt)),
    ];
}
