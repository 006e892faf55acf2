using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey list project-api-keys &lt;project&gt;</c> → <c>GET /projects/{id}/tokens</c>.</summary>
static class ListProjectApiKeysCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Argument<string>("project") { Description = "The project's id or slug" };
        var command = new Command("project-api-keys", "List a project's API keys (values are never shown again)") { project };
        command.Aliases.Add("project-api-key");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = await ctx.ProjectIdAsync(ctx.Value(project)!, ct);
            var keys = await ctx.ControlPlane().ListProjectApiKeysAsync(id, ct);
            ctx.Output.List(keys, ApiKeyView.Headers, ApiKeyView.Columns, k => k.Id);
        });
    }
}
