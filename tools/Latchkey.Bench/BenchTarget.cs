namespace Latchkey.Bench;

/// <summary>
/// A server under load: where wrk connects (<see cref="Url"/>, always loopback) and the <c>Host</c> header that picks
/// the tenant behind it, if any. A second implementation to compare against is a second target with its own scenarios.
/// </summary>
sealed record BenchTarget(string Name, Uri Url, string? Host)
{
    public string Describe() => $"{Name} at {Url.ToString().TrimEnd('/')}" + (Host is null ? "" : $" (Host: {Host})");
}
