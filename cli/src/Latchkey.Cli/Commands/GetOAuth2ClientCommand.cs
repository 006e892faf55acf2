using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey get oauth2-client &lt;id…&gt; --project P</c> → <c>GET /admin/clients/{id}</c> for each id.</summary>
static class GetOAuth2ClientCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var ids = new Argument<string[]>("client-id") { Description = "One or more client ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("oauth2-client", "Show one or more OAuth2 clients") { ids, project };
        command.Aliases.Add("oauth2-clients");
        command.Aliases.Add("client");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var clients = new List<OAuth2Client>();
            foreach (var id in ctx.Value(ids) ?? [])
                clients.Add(await admin.GetOAuth2ClientAsync(slug, id, ct));
            if (clients.Count == 1)
                ctx.Output.Item(clients[0], OAuth2ClientView.Fields(clients[0]), clients[0].ClientId);
            else
                ctx.Output.List(clients, OAuth2ClientView.Headers, OAuth2ClientView.Columns, c => c.ClientId);
        });
    }
}
