using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey list oauth2-clients --project P</c> → <c>GET /admin/clients</c>, all pages.</summary>
static class ListOAuth2ClientsCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var command = new Command("oauth2-clients", "List a project's OAuth2 clients") { project };
        command.Aliases.Add("oauth2-client");
        command.Aliases.Add("clients");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var clients = await admin.ListOAuth2ClientsAsync(slug, ct);
            ctx.Output.List(clients, OAuth2ClientView.Headers, OAuth2ClientView.Columns, c => c.ClientId);
        });
    }
}
