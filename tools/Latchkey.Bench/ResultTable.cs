using System.Globalization;

namespace Latchkey.Bench;

/// <summary>
/// The summary <c>make bench</c> ends with, one row per scenario: Latchkey's rate, the peer's rate and the ratio
/// (Latchkey / peer, so above 1 is faster), both latencies, and the CPU per request of oauth2, the gateway and the
/// peer, and the kilobytes oauth2 and the gateway allocate per request (with dotnet-counters). Without a peer its
/// columns show <c>-</c>. Errors are Latchkey's non-2xx and socket errors, then the peer's.
/// </summary>
sealed class ResultTable
{
    readonly List<string> _rows = [];

    public void Add(string scenario, ScenarioResult latchkey, ScenarioResult? peer)
    {
        var lk = latchkey.Wrk;
        var ratio = lk.Rate is { } a && peer?.Wrk.Rate is { } b && b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "-";
        _rows.Add(Row(
            scenario,
            lk.RequestsPerSecond ?? "-", peer?.Wrk.RequestsPerSecond ?? "-", ratio,
            lk.P50 ?? "-", lk.P99 ?? "-", peer?.Wrk.P50 ?? "-", peer?.Wrk.P99 ?? "-",
            Micros(latchkey.CpuMicros("oauth2")), Micros(latchkey.CpuMicros("gateway")), Micros(peer?.CpuMicros("peer")),
            Kilobytes(latchkey.Bytes("oauth2")), Kilobytes(latchkey.Bytes("gateway")),
            Errors(lk) + (peer is null ? "" : " / " + Errors(peer.Wrk))));
    }

    public void Write(TextWriter writer, string footer)
    {
        writer.WriteLine();
        writer.WriteLine(Row("scenario", "req/s", "peer req/s", "ratio", "p50", "p99", "peer p50", "peer p99",
            "oauth2 µs", "gateway µs", "peer µs", "oauth2 KB", "gateway KB", "non-2xx+sock-err"));
        foreach (var row in _rows)
            writer.WriteLine(row);
        writer.WriteLine();
        writer.WriteLine(footer);
    }

    static string Micros(double? micros) => micros is { } m ? m.ToString("0", CultureInfo.InvariantCulture) : "-";

    static string Kilobytes(double? bytes) => bytes is { } b ? (b / 1024).ToString("0.0", CultureInfo.InvariantCulture) : "-";

    static string Errors(WrkResult result) => $"{result.Non2xx}+{result.SocketErrors}";

    static string Row(string name, string rps, string peerRps, string ratio, string p50, string p99, string peerP50, string peerP99,
        string oauth2, string gateway, string peerCpu, string oauth2Kb, string gatewayKb, string errors) =>
        $"{name,-28} {rps,10} {peerRps,10} {ratio,6} {p50,9} {p99,9} {peerP50,9} {peerP99,9} {oauth2,9} {gateway,10} {peerCpu,8} {oauth2Kb,9} {gatewayKb,10}  {errors}";
}
