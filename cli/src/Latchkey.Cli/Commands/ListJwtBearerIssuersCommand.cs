using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey list jwt-bearer-issuers --project P [--issuer I]</c> → <c>GET /admin/trust/grants/jwt-bearer/issuers</c>, all pages.</summary>
static class ListJwtBearerIssuersCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var issuer = CliOptions.Text("--issuer", "Only the relationships of this issuer");
        var command = new Command("jwt-bearer-issuers", "List a project's trusted jwt-bearer issuers") { project, issuer };
        command.Aliases.Add("jwt-bearer-issuer");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var issuers = await admin.ListTrustedOAuth2JwtGrantIssuersAsync(slug, ctx.Value(issuer), ct);
            ctx.Output.List(issuers, JwtBearerIssuerView.Headers, JwtBearerIssuerView.Columns, t => t.Id);
        });
    }
}
