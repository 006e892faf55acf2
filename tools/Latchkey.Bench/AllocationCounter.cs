using System.Diagnostics;
using System.Globalization;

namespace Latchkey.Bench;

/// <summary>
/// Bytes a .NET process allocates per second during a run, from <c>dotnet-counters</c> (the runtime's
/// <c>dotnet.gc.heap.total_allocated</c>, sampled every second). Divided by the run's request rate it gives the
/// allocations per request, the other figure besides CPU that holds on a busy machine.
/// </summary>
static class AllocationCounter
{
    const string Counter = "dotnet.gc.heap.total_allocated";

    /// <summary>Samples <paramref name="pid"/> for <paramref name="seconds"/>; the mean bytes per second, or null.</summary>
    public static async Task<double?> BytesPerSecondAsync(string tool, int pid, int seconds, string csvFile, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--format", "csv", "-o", csvFile,
            "--counters", $"System.Runtime[{Counter}]", "--refresh-interval", "1",
            "--duration", TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
        })
            start.ArgumentList.Add(arg);
        try
        {
            using var counters = Process.Start(start);
            if (counters is null) return null;
            var drain = Task.WhenAll(counters.StandardOutput.ReadToEndAsync(ct), counters.StandardError.ReadToEndAsync(ct));
            await counters.WaitForExitAsync(ct);
            await drain;
            return File.Exists(csvFile) ? MeanRate(await File.ReadAllLinesAsync(csvFile, ct)) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The mean of the per-second increments in dotnet-counters' CSV, leaving out the first and last sample (the
    /// tool attaches and stops at moments that do not line up with the run).
    /// </summary>
    public static double? MeanRate(IEnumerable<string> csvLines)
    {
        var samples = csvLines
            .Select(l => l.Split(','))
            .Where(f => f.Length >= 5 && f[2].StartsWith(Counter, StringComparison.Ordinal))
            .Select(f => double.TryParse(f[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null)
            .OfType<double>()
            .ToList();
        var inner = samples.Count > 2 ? samples.Skip(1).SkipLast(1).ToList() : samples;
        return inner.Count > 0 ? inner.Average() : null;
    }
}
