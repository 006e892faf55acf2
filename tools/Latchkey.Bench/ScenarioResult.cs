namespace Latchkey.Bench;

/// <summary>One measured wrk run and, per watched process, the CPU microseconds it spent per request (null: unknown).</summary>
sealed record ScenarioResult(WrkResult Wrk, IReadOnlyDictionary<string, double?> CpuMicrosPerRequest)
{
    /// <summary>Per watched .NET process, bytes allocated per request (dotnet-counters); empty when not measured.</summary>
    public IReadOnlyDictionary<string, double?> BytesPerRequest { get; init; } = new Dictionary<string, double?>();

    public double? CpuMicros(string label) => CpuMicrosPerRequest.TryGetValue(label, out var micros) ? micros : null;

    public double? Bytes(string label) => BytesPerRequest.TryGetValue(label, out var bytes) ? bytes : null;

    /// <summary>CPU time spent between two readings, divided by the requests wrk completed.</summary>
    public static double? PerRequest(TimeSpan? before, TimeSpan? after, long requests) =>
        before is { } b && after is { } a && requests > 0 && a >= b ? (a - b).TotalMicroseconds / requests : null;
}
