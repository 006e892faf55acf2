using System.CommandLine;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey delete jwt-bearer-issuer &lt;id…&gt; --project P</c> → <c>DELETE /admin/trust/grants/jwt-bearer/issuers/{id}</c>
/// for each id. Prints the ids deleted; if any failed, the failures make up the error line and the exit code is 1.
/// </summary>
static class DeleteJwtBearerIssuerCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var ids = new Argument<string[]>("id") { Description = "One or more trust relationship ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("jwt-bearer-issuer", "Stop trusting one or more jwt-bearer issuers") { ids, project };
        command.Aliases.Add("jwt-bearer-issuers");
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
                    await admin.DeleteTrustedOAuth2JwtGrantIssuerAsync(slug, id, ct);
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
