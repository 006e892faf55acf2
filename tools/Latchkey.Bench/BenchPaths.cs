namespace Latchkey.Bench;

/// <summary>The command line: <c>--out DIR --scripts DIR</c>, and optionally <c>--pids FILE</c> and <c>--peer DIR</c>.</summary>
sealed record BenchPaths(string Output, string Scripts, string? Pids, string? Peer)
{
    public static BenchPaths Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (args.Length % 2 != 0)
            throw Usage();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is not ("--out" or "--scripts" or "--pids" or "--peer"))
                throw new BenchException($"unknown argument '{args[i]}'");
            values[args[i]] = Path.GetFullPath(args[i + 1]);
        }
        return values.TryGetValue("--out", out var output) && values.TryGetValue("--scripts", out var scripts)
            ? new(output, scripts, values.GetValueOrDefault("--pids"), values.GetValueOrDefault("--peer"))
            : throw Usage();
    }

    static BenchException Usage() => new("usage: latchkey-bench --out DIR --scripts DIR [--pids FILE] [--peer DIR]");
}
