using System.CommandLine;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey delete oauth2-client-rotated-secrets &lt;client-id…&gt; --project P</c> → <c>DELETE /admin/clients/{id}/secrets/rotate</c>
/// for each id: from then on only the client's current secret works. Prints the ids done; failures make up the error line.
/// </summary>
static class DeleteOAuth2ClientRotatedSecretsCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var ids = new Argument<string[]>("client-id") { Description = "One or more client ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("oauth2-client-rotated-secrets", "End the rotated (previous) secrets of one or more OAuth2 clients") { ids, project };
        command.Aliases.Add("client-rotated-secrets");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var done = new List<string>();
            var failures = new List<string>();
            foreach (var id in ctx.Value(ids) ?? [])
            {
                try
                {
                    await admin.DeleteRotatedOAuth2ClientSecretsAsync(slug, id, ct);
                    done.Add(id);
                }
                catch (LatchkeyApiException ex)
                {
                    failures.Add($"{id}: {ex.Message}");
                }
            }
            if (done.Count > 0)
                ctx.Output.Ids(done);
            if (failures.Count > 0)
                throw new CliException(string.Join("; ", failures));
        });
    }
}
