using System.CommandLine;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey delete project &lt;id-or-slug&gt;</c> → <c>DELETE /projects/{id}</c>; prints the id.</summary>
static class DeleteProjectCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Argument<string>("project") { Description = "The project's id or slug" };
        var command = new Command("project", "Delete a project: its host answers 404 and its tokens stop working") { project };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = await ctx.ProjectIdAsync(ctx.Value(project)!, ct);
            await ctx.ControlPlane().DeleteProjectAsync(id, ct);
            ctx.Output.Ids([id]);
        });
    }
}
