using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey create project-api-key &lt;project&gt; --name N</c> → <c>POST /projects/{id}/tokens</c>.
/// With <c>-q</c> it prints only the key's value, the one thing worth capturing in a script.
/// </summary>
static class CreateProjectApiKeyCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Argument<string>("project") { Description = "The project's id or slug" };
        var name = new Option<string>("--name", "-n") { Description = "A name for the key", Required = true };
        var command = new Command("project-api-key", "Create a project API key (lk_pat_…) for the project's admin API; its value is shown only once")
        {
            project, name,
        };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var id = await ctx.ProjectIdAsync(ctx.Value(project)!, ct);
            var key = await ctx.ControlPlane().CreateProjectApiKeyAsync(id, ctx.Value(name)!, ct);
            ctx.Output.Item(key, ApiKeyView.Fields(key), key.Value);
        });
    }
}
