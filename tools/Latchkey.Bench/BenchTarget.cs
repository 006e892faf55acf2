namespace Latchkey.Bench;

/// <summary>
/// A server under load: where wrk connects (<see cref="Url"/>, always loopback), the <c>Host</c> header that picks
/// the tenant behind it, if any, and the processes whose CPU time a run divides by its requests (oauth2 and gateway
/// for Latchkey, the one Node process for the peer). A second implementation to compare against is a second target
/// with its own scenarios.
/// </summary>
sealed record BenchTarget(string Name, Uri Url, string? Host)
{
    /// <summary>Labelled processes to measure; a target whose processes are unknown measures none.</summary>
    public IReadOnlyList<WatchedProcess> Processes { get; init; } = [];

    public string Describe() => $"{Name} at {Url.ToString().TrimEnd('/')}" + (Host is null ? "" : $" (Host: {Host})");
}
