using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey get jwt-bearer-issuer &lt;id…&gt; --project P</c> → <c>GET /admin/trust/grants/jwt-bearer/issuers/{id}</c> for each id.</summary>
static class GetJwtBearerIssuerCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var ids = new Argument<string[]>("id") { Description = "One or more trust relationship ids", Arity = ArgumentArity.OneOrMore };
        var command = new Command("jwt-bearer-issuer", "Show one or more trusted jwt-bearer issuers") { ids, project };
        command.Aliases.Add("jwt-bearer-issuers");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var found = new List<TrustedOAuth2JwtGrantIssuer>();
            foreach (var id in ctx.Value(ids) ?? [])
                found.Add(await admin.GetTrustedOAuth2JwtGrantIssuerAsync(slug, id, ct));
            JwtBearerIssuerView.Print(ctx.Output, found);
        });
    }
}
