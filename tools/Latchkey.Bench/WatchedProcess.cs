using System.Diagnostics;
using System.Globalization;

namespace Latchkey.Bench;

/// <summary>
/// A server process by pid, for its CPU time (user + system) before and after a run. CPU per request is what holds on
/// a machine shared with other work: the rate drops when the cores are busy elsewhere, the CPU a request costs does not.
/// </summary>
sealed record WatchedProcess(string Label, int Pid)
{
    /// <summary>The process's CPU time so far, or null once it is gone.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            return process.TotalProcessorTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The services <c>scripts/run.sh --background</c> started, from its pid file: lines <c>service NAME PID</c>
    /// (other lines, for PostgreSQL and Redis, are skipped). Only the names asked for, in that order.
    /// </summary>
    public static IReadOnlyList<WatchedProcess> FromRunPids(string text, params string[] names)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["service", var name, var pid] && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                found[name] = id;
        }
        return [.. names.Where(found.ContainsKey).Select(n => new WatchedProcess(n, found[n]))];
    }
}
