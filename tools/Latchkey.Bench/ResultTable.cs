namespace Latchkey.Bench;

/// <summary>The summary <c>make bench</c> ends with, one row per scenario, in the columns it has always had.</summary>
sealed class ResultTable
{
    readonly List<string> _rows = [];

    public void Add(string scenario, WrkResult result) => _rows.Add(Row(
        scenario, result.RequestsPerSecond ?? "-", result.P50 ?? "-", result.P99 ?? "-", $"{result.Non2xx}", $"{result.SocketErrors}"));

    public void Write(TextWriter writer, string footer)
    {
        writer.WriteLine();
        writer.WriteLine(Row("scenario", "req/s", "p50", "p99", "non-2xx", "sock-err"));
        foreach (var row in _rows)
            writer.WriteLine(row);
        writer.WriteLine();
        writer.WriteLine(footer);
    }

    static string Row(string name, string rps, string p50, string p99, string non2xx, string socketErrors) =>
        $"{name,-28} {rps,12} {p50,10} {p99,10} {non2xx,9} {socketErrors,9}";
}
