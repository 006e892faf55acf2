using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary><c>latchkey get jwk &lt;set…&gt; --project P</c> → <c>GET /admin/keys/{set}</c> for each set: the public keys, newest first.</summary>
static class GetJwkCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var sets = new Argument<string[]>("set")
        {
            Description = $"One or more key sets: {LatchkeyClient.IdTokenKeySet}, {LatchkeyClient.AccessTokenKeySet}",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("jwk", "Show the public keys of one or more key sets") { sets, project };
        command.Aliases.Add("jwks");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var found = new List<JwkView.SetDocument>();
            foreach (var set in ctx.Value(sets) ?? [])
                found.Add(new(set, (await admin.GetJsonWebKeySetAsync(slug, set, ct)).Keys));
            JwkView.Print(ctx, host, found);
        });
    }
}
