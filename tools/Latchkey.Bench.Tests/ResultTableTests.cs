using Xunit;

namespace Latchkey.Bench.Tests;

/// <summary>The table <c>make bench</c> ends with keeps its columns (scripts and readers line up on them).</summary>
public sealed class ResultTableTests
{
    static readonly Dictionary<string, double?> NoCpu = [];

    [Fact]
    public void Write_WithPeer_RatioLatenciesAndCpuPerRequest_InFixedColumns()
    {
        var table = new ResultTable();
        table.Add("token-client-credentials",
            new(new WrkResult("1500.00", "18.32ms", "46.79ms", 0, 3, 15000), new Dictionary<string, double?> { ["oauth2"] = 312.4, ["gateway"] = 61.5 })
            {
                BytesPerRequest = new Dictionary<string, double?> { ["oauth2"] = 40_960, ["gateway"] = 2_048 },
            },
            new(new WrkResult("3000.00", "9.10ms", "20.00ms", 2, 0, 30000), new Dictionary<string, double?> { ["peer"] = 250.0 }));
        table.Add("token-refresh", new(new WrkResult(null, null, null, 0, 0), NoCpu), null);
        using var writer = new StringWriter();

        table.Write(writer, "footer");

        Assert.Equal(
            [
                "",
                "scenario                          req/s peer req/s  ratio       p50       p99  peer p50  peer p99 oauth2 µs gateway µs  peer µs oauth2 KB gateway KB  non-2xx+sock-err",
                "token-client-credentials        1500.00    3000.00   0.50   18.32ms   46.79ms    9.10ms   20.00ms       312         62      250      40.0        2.0  0+3 / 2+0",
                "token-refresh                         -          -      -         -         -         -         -         -          -        -         -          -  0+0",
                "",
                "footer",
                "",
            ],
            writer.ToString().ReplaceLineEndings("\n").Split('\n'));
    }

    [Theory]
    [InlineData(10.0, 12.5, 1000, 2.5)]
    [InlineData(10.0, 12.5, 0, null)]
    [InlineData(12.5, 10.0, 1000, null)]
    public void PerRequest_IsTheCpuDeltaOverRequests(double beforeMs, double afterMs, long requests, double? micros) =>
        Assert.Equal(micros, ScenarioResult.PerRequest(TimeSpan.FromMilliseconds(beforeMs), TimeSpan.FromMilliseconds(afterMs), requests));

    [Fact]
    public void PerRequest_UnknownReading_IsNull() =>
        Assert.Null(ScenarioResult.PerRequest(null, TimeSpan.FromSeconds(1), 10));
}
