using System.Diagnostics;
using System.Globalization;

namespace Latchkey.Bench;

/// <summary>
/// <c>BENCH_TRACE=1</c>: a CPU-sampling trace of each watched .NET process during a scenario's measured run
/// (<c>dotnet-trace collect --profile dotnet-sampled-thread-time</c>: stacks of every thread at ~100 Hz), and its top frames (<c>dotnet-trace report … topN</c>) next to
/// it as text. Sampling costs CPU of its own: the CPU and allocation figures of a traced run are not the bench's.
/// </summary>
static class CpuTrace
{
    /// <summary>Traces <paramref name="pid"/> for <paramref name="seconds"/> into <paramref name="traceFile"/>, then writes its top frames.</summary>
    public static async Task CollectAsync(string tool, int pid, int seconds, string traceFile, CancellationToken ct)
    {
        await RunAsync(tool, ct, "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
            "--duration", TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), "-o", traceFile);
        if (!File.Exists(traceFile))
        {
            Log.Info($"dotnet-trace wrote no {traceFile}");
            return;
        }
        var inclusive = await RunAsync(tool, ct, "report", traceFile, "topN", "-n", "40", "--inclusive");
        var exclusive = await RunAsync(tool, ct, "report", traceFile, "topN", "-n", "40");
        await File.WriteAllTextAsync(Path.ChangeExtension(traceFile, ".top.txt"),
            "# exclusive (self) time\n" + exclusive + "\n# inclusive time\n" + inclusive, ct);
    }

    static async Task<string> RunAsync(string tool, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new BenchException($"cannot start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return await stdout + await stderr;
    }
}
