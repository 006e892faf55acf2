using System.CommandLine;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey delete jwk &lt;set&gt; [kid] --project P</c> → <c>DELETE /admin/keys/{set}/{kid}</c>, or the whole set
/// (<c>DELETE /admin/keys/{set}</c>) without a kid. Tokens signed by a deleted key stop verifying; a set left empty
/// gets a fresh key on the project's next request. Prints what was deleted.
/// </summary>
static class DeleteJwkCommand
{
    public static Command Create(CliHost host)
    {
        var project = CliOptions.Project();
        var set = new Argument<string>("set") { Description = $"The key set: {LatchkeyClient.IdTokenKeySet} or {LatchkeyClient.AccessTokenKeySet}" };
        var kid = new Argument<string?>("kid") { Description = "The key to delete (default: every key of the set)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("jwk", "Delete a key, or a whole key set") { set, kid, project };
        command.Aliases.Add("jwks");
        return command.WithHandler(host, async (ctx, ct) =>
        {
            var admin = ctx.Admin();
            var slug = await ctx.ProjectSlugAsync(project, ct);
            var name = ctx.Value(set)!;
            if (ctx.Value(kid) is { Length: > 0 } id)
            {
                await admin.DeleteJsonWebKeyAsync(slug, name, id, ct);
                ctx.Output.Ids([id]);
            }
            else
            {
                await admin.DeleteJsonWebKeySetAsync(slug, name, ct);
                ctx.Output.Ids([name]);
            }
        });
    }
}
