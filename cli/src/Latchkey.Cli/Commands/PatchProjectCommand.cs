using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli.Commands;

/// <summary>
/// <c>latchkey patch project &lt;id-or-slug&gt; --add|--replace '/path=json' --remove '/path'</c> → RFC 6902
/// <c>PATCH /projects/{id}</c>. Paths are relative to the project document, e.g.
/// <c>--replace '/services/oauth2/config/strategies/access_token="jwt"'</c>.
/// </summary>
static class PatchProjectCommand
{
    public static Command Create(CliHost host)
    {
        var project = new Argument<string>("project") { Description = "The project's id or slug" };
        var add = new Option<string[]>("--add") { Description = "Add a value: '/path=<json>' (repeatable)", Arity = ArgumentArity.OneOrMore };
        var replace = new Option<string[]>("--replace") { Description = "Replace a value: '/path=<json>' (repeatable)", Arity = ArgumentArity.OneOrMore };
        var remove = new Option<string[]>("--remove") { Description = "Remove a value: '/path' (repeatable)", Arity = ArgumentArity.OneOrMore };

        var command = new Command("project", "Change a project's document with JSON Patch, e.g. --replace '/services/oauth2/config/strategies/access_token=\"jwt\"'")
        {
            project, add, replace, remove,
        };
        return command.WithHandler(host, async (ctx, ct) =>
        {
            // Adds, then replaces, then removes: the order the Ory CLI applies them in.
            var operations = new List<JsonPatchOperation>();
            operations.AddRange((ctx.Value(add) ?? []).Select(v => WithValue("add", "--add", v)));
            operations.AddRange((ctx.Value(replace) ?? []).Select(v => WithValue("replace", "--replace", v)));
            operations.AddRange((ctx.Value(remove) ?? []).Select(Remove));
            if (operations.Count == 0)
                throw CliException.UsageError("give at least one --add, --replace or --remove");

            var client = ctx.ControlPlane();
            var id = await ctx.ProjectIdAsync(ctx.Value(project)!, ct);
            var result = await client.PatchProjectAsync(id, operations, ct);
            foreach (var warning in result.Warnings ?? [])
                await ctx.Stderr.WriteLineAsync($"Warning: {Printer.Warning(warning)}");
            ProjectView.Print(ctx.Output, result.Project, client);
        });
    }

    static JsonPatchOperation WithValue(string op, string flag, string argument)
    {
        var separator = argument.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
            throw CliException.UsageError($"{flag} '{argument}': expected '/path=<json>', e.g. '/services/oauth2/config/strategies/access_token=\"jwt\"'");
        var path = Path(flag, argument[..separator]);
        var json = argument[(separator + 1)..];
        try
        {
            return new JsonPatchOperation(op, path, JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            throw CliException.UsageError($"{flag} '{argument}': the value is not JSON (quote strings: {path}=\"{json}\")");
        }
    }

    static JsonPatchOperation Remove(string argument) => JsonPatchOperation.Remove(Path("--remove", argument));

    static string Path(string flag, string path) =>
        path.StartsWith('/') ? path : throw CliException.UsageError($"{flag} '{path}': a JSON pointer path starts with '/'");
}
