using Xunit;

namespace Latchkey.Bench.Tests;

/// <summary>The figures of the table, read from wrk 4's text output.</summary>
public sealed class WrkResultTests
{
    const string Clean = """
        Running 3s test @ http://127.0.0.1:4430/oauth2/token
          2 threads and 32 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   146.33ms   60.69ms 485.66ms   76.36%
            Req/Sec   108.66     36.28   171.00     61.02%
          Latency Distribution
             50%  132.98ms
             75%  174.35ms
             90%  222.38ms
             99%  368.14ms
          645 requests in 3.01s, 1.03MB read
        Requests/sec:    214.10
        Transfer/sec:    350.79KB
        refresh: pool=64 sent=678 rotated=645 failed=0 starved=0 unspent=31
        """;

    [Fact]
    public void Parse_CleanRun_ReadsRateAndPercentiles()
    {
        var result = WrkResult.Parse(Clean);

        Assert.Equal(new WrkResult("214.10", "132.98ms", "368.14ms", 0, 0, 645), result);
        Assert.Equal(214.10, result.Rate);
    }

    [Fact]
    public void Parse_ErrorsAndNon2xx_AreCountedAndSocketErrorsSummed()
    {
        var output = Clean.Replace("  645 requests", """
              Socket errors: connect 0, read 2, write 1, timeout 5
              Non-2xx or 3xx responses: 17
              645 requests
            """, StringComparison.Ordinal);

        var result = WrkResult.Parse(output);

        Assert.Equal(17, result.Non2xx);
        Assert.Equal(8, result.SocketErrors);
    }

    [Fact]
    public void Parse_WrkFailedToRun_LeavesTheFiguresEmpty()
    {
        var result = WrkResult.Parse("unable to connect to 127.0.0.1:4430 Connection refused\n");

        Assert.Equal(new WrkResult(null, null, null, 0, 0), result);
    }
}
