using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey rotate oauth2-client-secret &lt;client-id&gt; --project P</c> → <c>POST /admin/clients/{id}/secrets/rotate</c>.
/// Prints the new secret, the only time it is shown (<c>-q</c> prints just the secret); the previous ones keep
/// working until <c>latchkey delete oauth2-client-rotated-secrets</c>.
/// </summary>
static class RotateOAuth2ClientSecretCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var id = new Argument<string>("client-id") { Description = "The client's id" };
        var command = new Command("oauth2-client-secret",
            "Give an OAuth2 client a new secret, shown only once; its previous secrets keep working until deleted")
        {
            id, project,
        };
        command.Aliases.Add("client-secret");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var client = await admin.RotateOAuth2ClientSecretAsync(slug, ctx.Value(id)!, ct);
            ctx.Output.Item(client, [new("CLIENT ID", client.ClientId), new("CLIENT SECRET", client.ClientSecret)], client.ClientSecret);
        });
    }
}
