using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>
/// JSON Web Keys as Hydra's <c>cmd/output_jwks.go</c>: one table row per key (SET ID, KEY ID, ALGORITHM, USE),
/// and <c>{"set", "keys"}</c> per set as a document; <c>-q</c> prints the key ids.
/// </summary>
static class JwkView
{
    public static readonly IReadOnlyList<string> Headers = ["SET ID", "KEY ID", "ALGORITHM", "USE"];

    public sealed record SetDocument(string Set, IReadOnlyList<JsonWebKey> Keys);

    public static void Print(CommandContext ctx, CliHost host, IReadOnlyList<SetDocument> sets)
    {
        var asTable = ctx.Value(host.Quiet) || ctx.Value(host.Format) is null or "table";
        if (asTable)
        {
            var rows = sets.SelectMany(s => s.Keys.Select(k => (s.Set, Key: k))).ToList();
            ctx.Output.List(rows, Headers, r => [r.Set, r.Key.Kid, r.Key.Alg, r.Key.Use], r => r.Key.Kid);
        }
        else if (sets.Count == 1)
            ctx.Output.Item(sets[0], [], null);
        else
            ctx.Output.Item(sets, [], null);
    }
}
