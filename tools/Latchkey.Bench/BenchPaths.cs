namespace Latchkey.Bench;

/// <summary>The command line: <c>--out DIR --scripts DIR</c>, and optionally <c>--pids FILE</c> and <c>--peer DIR</c>.</summary>
sealed record BenchPaths(string Output, string Scripts, string? Pids, string? Peer)
{
    /// <summary><c>--scale N</c>: <c>make bench-scale</c> with N projects instead of the scenarios of <c>make bench</c>.</summary>
    public int? ScaleProjects { get; init; }

    public static BenchPaths Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (args.Length % 2 != 0)
            throw Usage();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] is not ("--out" or "--scripts" or "--pids" or "--peer" or "--scale"))
                throw new BenchException($"unknown argument '{args[i]}'");
            values[args[i]] = args[i] == "--scale" ? args[i + 1] : Path.GetFullPath(args[i + 1]);
        }
        return values.TryGetValue("--out", out var output) && values.TryGetValue("--scripts", out var scripts)
            ? new(output, scripts, values.GetValueOrDefault("--pids"), values.GetValueOrDefault("--peer")) { ScaleProjects = Scale(values) }
            : throw Usage();
    }

    static int? Scale(Dictionary<string, string> values) =>
        !values.TryGetValue("--scale", out var text) ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new BenchException($"--scale must be a number of projects above 0, got '{text}'");

    static BenchException Usage() => new("usage: latchkey-bench --out DIR --scripts DIR [--pids FILE] [--peer DIR] [--scale PROJECTS]");
}
