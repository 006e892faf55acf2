using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey list projects</c> → <c>GET /projects</c>.</summary>
static class ListProjectsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("projects", "List the workspace's projects");
        command.Aliases.Add("project");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var projects = await ctx.ControlPlane().ListProjectsAsync(ct);
            ctx.Output.List(projects, ProjectView.Headers, ProjectView.Columns, p => p.Id);
        });
    }
}
