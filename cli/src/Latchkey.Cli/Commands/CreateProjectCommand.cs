using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey create project --name N [--environment dev|stage|prod]</c> → <c>POST /projects</c>.</summary>
static class CreateProjectCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Option<string>("--name", "-n") { Description = "The project's name", Required = true };
        var environment = new Option<string?>("--environment", "-e")
        {
            Description = "The project's environment (the server defaults to dev)",
            HelpName = "dev|stage|prod",
        }.AcceptOnlyFromAmong("dev", "stage", "prod");

        var command = new Command("project", "Create a project: an isolated OAuth2 server with its own issuer URL") { name, environment };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var client = ctx.ControlPlane();
            var project = await client.CreateProjectAsync(ctx.Value(name)!, ctx.Value(environment), ct);
            ProjectView.Print(ctx.Output, project, client);
        });
    }
}
