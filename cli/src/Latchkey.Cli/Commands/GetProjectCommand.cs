using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey get project &lt;id-or-slug&gt;</c> → <c>GET /projects/{id}</c>.</summary>
static class GetProjectCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Argument<string>("project") { Description = "The project's id or slug" };
        var command = new Command("project", "Show a project, including its issuer URL and OAuth2 configuration (in json/yaml)") { project };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var client = ctx.ControlPlane();
            var id = await ctx.ProjectIdAsync(ctx.Value(project)!, ct);
            ProjectView.Print(ctx.Output, await client.GetProjectAsync(id, ct), client);
        });
    }
}
