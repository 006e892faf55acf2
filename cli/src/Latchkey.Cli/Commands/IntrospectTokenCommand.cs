using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey introspect token &lt;token&gt; --project P [--scope …]</c> → <c>POST /admin/oauth2/introspect</c>.
/// With <c>-q</c> it prints only <c>true</c> or <c>false</c>.
/// </summary>
static class IntrospectTokenCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var token = new Argument<string>("token") { Description = "An access or refresh token" };
        var scopes = CliOptions.Repeatable("--scope", "A scope the token must have to count as active");
        var command = new Command("token", "Introspect an access or refresh token") { token, project, scopes };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var scope = string.Join(' ', ctx.Values(scopes));
            var result = await admin.IntrospectAsync(slug, ctx.Value(token)!, scope, ct);
            ctx.Output.Item(result, IntrospectionView.Fields(result), IntrospectionView.Active(result));
        });
    }
}
