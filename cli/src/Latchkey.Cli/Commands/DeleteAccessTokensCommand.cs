using System.CommandLine;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey delete access-tokens &lt;client-id&gt; --project P</c> → <c>DELETE /admin/oauth2/tokens?client_id=</c>.</summary>
static class DeleteAccessTokensCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var clientId = new Argument<string>("client-id") { Description = "The client whose tokens to revoke" };
        var command = new Command("access-tokens", "Revoke every access and refresh token issued to a client") { clientId, project };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            await admin.DeleteTokensAsync(slug, ctx.Value(clientId)!, ct);
            ctx.Output.Ids([ctx.Value(clientId)!]);
        });
    }
}
