using System.CommandLine;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey delete oauth2-client &lt;id…&gt; --project P</c> → <c>DELETE /admin/clients/{id}</c> for each id.
/// Prints the ids deleted; if any failed, the failures make up the error line and the exit code is 1.
/// </summary>
static class DeleteOAuth2ClientCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var ids = new Argument<string[]>("client-id") { Description = "One or more client ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("oauth2-client", "Delete one or more OAuth2 clients") { ids, project };
        command.Aliases.Add("oauth2-clients");
        command.Aliases.Add("client");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var deleted = new List<string>();
            var failures = new List<string>();
            foreach (var id in ctx.Value(ids) ?? [])
            {
                try
                {
                    await admin.DeleteOAuth2ClientAsync(slug, id, ct);
                    deleted.Add(id);
                }
                catch (LatchkeyApiException ex)
                {
                    failures.Add($"{id}: {ex.Message}");
                }
            }
            if (deleted.Count > 0)
                ctx.Output.Ids(deleted);
            if (failures.Count > 0)
                throw new CliException(string.Join("; ", failures));
        });
    }
}
