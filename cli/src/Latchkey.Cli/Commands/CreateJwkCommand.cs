using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey create jwk &lt;set&gt; [--alg RS256] [--kid K] [--use sig] --project P</c> → <c>POST /admin/keys/{set}</c>.
/// The new key is the newest of its set, so it signs from the next token on; prints its public part.
/// </summary>
static class CreateJwkCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var set = new Argument<string>("set") { Description = $"The key set: {LatchkeyClient.IdTokenKeySet} or {LatchkeyClient.AccessTokenKeySet}" };
        var alg = CliOptions.Choice("--alg", "The key's algorithm (default RS256)", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");
        var kid = CliOptions.Text("--kid", "The key id (default: a generated UUID)");
        var use = CliOptions.Choice("--use", "What the key is for (default sig)", "sig");
        var command = new Command("jwk", "Generate a signing key in one of the project's key sets") { set, project, alg, kid, use };
        command.Aliases.Add("jwks");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var name = ctx.Value(set)!;
            var created = await admin.CreateJsonWebKeyAsync(slug, name, new CreateJsonWebKey
            {
                Alg = ctx.Value(alg) ?? "RS256",
                Kid = ctx.Value(kid),
                Use = ctx.Value(use) ?? "sig",
            }, ct);
            JwkView.Print(ctx, host, [new(name, created.Keys)]);
        });
    }
}
