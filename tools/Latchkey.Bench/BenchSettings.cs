using System.Globalization;
using System.Text.RegularExpressions;

namespace Latchkey.Bench;

/// <summary>
/// The knobs of <c>make bench</c>, read from the same <c>BENCH_*</c> variables <c>scripts/bench.sh</c> documents,
/// with the same defaults. Durations are wrk's (<c>10s</c>, <c>2m</c>); a warm-up of <c>0</c> means none.
/// </summary>
sealed partial record BenchSettings(
    string Duration,
    int Threads,
    int Connections,
    string Warmup,
    int RefreshPool,
    int MintJobs,
    IReadOnlyList<string>? Scenarios)
{
    public bool HasWarmup => Warmup != "0";

    /// <summary><c>BENCH_COUNTERS</c>: the dotnet-counters executable, for allocations per request; null = not measured.</summary>
    public string? CountersTool { get; init; }

    /// <summary><c>BENCH_TRACE</c>: the dotnet-trace executable, for a sampling trace of each run; null = none.</summary>
    public string? TraceTool { get; init; }

    /// <summary>The measured run's length in whole seconds (wrk reads a bare number as seconds).</summary>
    public int DurationSeconds => Duration[^1] switch
    {
        'm' => 60 * int.Parse(Duration[..^1], CultureInfo.InvariantCulture),
        'h' => 3600 * int.Parse(Duration[..^1], CultureInfo.InvariantCulture),
        's' => int.Parse(Duration[..^1], CultureInfo.InvariantCulture),
        _ => int.Parse(Duration, CultureInfo.InvariantCulture),
    };

    /// <summary>Whether <c>BENCH_SCENARIOS</c> selects the scenario (all are selected when it is unset).</summary>
    public bool Wants(string scenario) => Scenarios is null || Scenarios.Contains(scenario, StringComparer.Ordinal);

    public static BenchSettings FromEnvironment(Func<string, string?> env)
    {
        var connections = Count(env, "BENCH_CONNECTIONS", 32);
        var settings = new BenchSettings(
            WrkDuration(env, "BENCH_DURATION", "10s"),
            Count(env, "BENCH_THREADS", 2),
            connections,
            WrkDuration(env, "BENCH_WARMUP", "3s"),
            Count(env, "BENCH_REFRESH_POOL", 2 * connections),
            Count(env, "BENCH_MINT_JOBS", 4),
            Value(env, "BENCH_SCENARIOS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            CountersTool = Value(env, "BENCH_COUNTERS"),
            TraceTool = Value(env, "BENCH_TRACE"),
        };
        // Every connection holds one token in flight, and wrk's script check spends one more (scripts/bench/refresh.lua).
        if (settings.RefreshPool <= settings.Connections)
            throw new BenchException(
                $"BENCH_REFRESH_POOL ({settings.RefreshPool}) must be more than BENCH_CONNECTIONS ({settings.Connections}): " +
                "every connection holds a token in flight (see scripts/bench/refresh.lua)");
        return settings;
    }

    static string? Value(Func<string, string?> env, string name) => env(name) is { } v && v.Trim().Length > 0 ? v.Trim() : null;

    static int Count(Func<string, string?> env, string name, int fallback) =>
        Value(env, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new BenchException($"{name} must be a whole number above 0, got '{text}'");

    static string WrkDuration(Func<string, string?> env, string name, string fallback) =>
        Value(env, name) is not { } text ? fallback
        : DurationPattern().IsMatch(text) ? text
        : throw new BenchException($"{name} must be a wrk duration such as 10s, 2m or 1h (or 0), got '{text}'");

    [GeneratedRegex("^[0-9]+[smh]?$")]
    private static partial Regex DurationPattern();
}
