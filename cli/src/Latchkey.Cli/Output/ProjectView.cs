using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>Project columns as Ory's: ID, NAME, ENVIRONMENT, SLUG, STATE; a single project adds its issuer URL.</summary>
static class ProjectView
{
    public static readonly IReadOnlyList<string> Headers = ["ID", "NAME", "ENVIRONMENT", "SLUG", "STATE"];

    public static IReadOnlyList<string?> Columns(Project p) => [p.Id, p.Name, p.Environment, p.Slug, p.State];

    public static IReadOnlyList<KeyValuePair<string, string?>> Fields(Project p, string? issuer) =>
    [
        new("ID", p.Id),
        new("NAME", p.Name),
        new("ENVIRONMENT", p.Environment),
        new("SLUG", p.Slug),
        new("STATE", p.State),
        new("ISSUER URL", issuer),
    ];

    public static void Print(Printer printer, Project project, LatchkeyClient client) =>
        printer.Item(project, Fields(project, string.IsNullOrEmpty(project.Slug) ? null : client.Issuer(project.Slug)), project.Id);
}
