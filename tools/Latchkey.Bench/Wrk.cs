using System.Diagnostics;
using System.Globalization;

namespace Latchkey.Bench;

/// <summary>Runs wrk: one process per run, its output kept in a file, the Lua scripts of <c>scripts/bench/</c>.</summary>
sealed class Wrk(BenchSettings settings, string scriptsDirectory)
{
    /// <summary>Runs <paramref name="scenario"/> for <paramref name="duration"/>, writing wrk's output to <paramref name="outputFile"/>.</summary>
    public async Task<string> RunAsync(Scenario scenario, string duration, string outputFile, CancellationToken ct)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in Arguments(scenario, duration))
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in Environment(scenario))
            start.Environment[name] = value;

        using var wrk = Process.Start(start) ?? throw new BenchException("cannot start wrk");
        string output;
        try
        {
            var stdout = wrk.StandardOutput.ReadToEndAsync(ct);
            var stderr = wrk.StandardError.ReadToEndAsync(ct);
            await wrk.WaitForExitAsync(ct);
            output = await stdout + await stderr;
        }
        catch (OperationCanceledException)
        {
            wrk.Kill(entireProcessTree: true);
            throw;
        }
        await File.WriteAllTextAsync(outputFile, output, CancellationToken.None);
        if (wrk.ExitCode != 0)
            Log.Info($"wrk {scenario.Name} exited with {wrk.ExitCode} (see {outputFile})");
        return output;
    }

    List<string> Arguments(Scenario scenario, string duration)
    {
        var args = new List<string>
        {
            "-t" + settings.Threads.ToString(CultureInfo.InvariantCulture),
            "-c" + settings.Connections.ToString(CultureInfo.InvariantCulture),
            "-d" + duration,
            "--timeout", "10s",
            "--latency",
        };
        if (scenario.Target.Host is { } host)
            args.AddRange(["-H", "Host: " + host]);
        if (Script(scenario) is { } script)
            args.AddRange(["-s", Path.Combine(scriptsDirectory, script)]);
        args.Add(new Uri(scenario.Target.Url, scenario.Request.Path).AbsoluteUri);
        return args;
    }

    static string? Script(Scenario scenario) =>
        scenario.RefreshTokens is not null ? "refresh.lua"
        : scenario.TargetsFile is not null ? "scale.lua"
        : scenario.Request.Body is not null ? "post.lua"
        : null;

    IReadOnlyDictionary<string, string> Environment(Scenario scenario) =>
        scenario.RefreshTokens is { } pool
            ? pool.Environment(settings.Threads, scenario.Request.Authorization ?? "")
            : scenario.TargetsFile is { } targets
            ? new Dictionary<string, string> { ["BENCH_TARGETS"] = targets, ["BENCH_PATH"] = scenario.Request.Path }
            : new Dictionary<string, string>
            {
                ["BENCH_BODY"] = scenario.Request.Body ?? "",
                ["BENCH_AUTH"] = scenario.Request.Authorization ?? "",
            };
}
