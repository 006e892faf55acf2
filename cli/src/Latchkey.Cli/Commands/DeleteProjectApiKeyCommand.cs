using System.CommandLine;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey delete project-api-key &lt;project&gt; &lt;key-id&gt;</c> → <c>DELETE /projects/{id}/tokens/{key}</c>.</summary>
static class DeleteProjectApiKeyCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Argument<string>("project") { Description = "The project's id or slug" };
        var key = new Argument<string>("key-id") { Description = "The key's id (see: latchkey list project-api-keys)" };
        var command = new Command("project-api-key", "Delete a project API key; it stops working at once") { project, key };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = await ctx.ProjectIdAsync(ctx.Value(project)!, ct);
            await ctx.ControlPlane().DeleteProjectApiKeyAsync(id, ctx.Value(key)!, ct);
            ctx.Output.Ids([ctx.Value(key)!]);
        });
    }
}
