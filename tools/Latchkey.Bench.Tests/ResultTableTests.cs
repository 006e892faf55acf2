using Xunit;

namespace Latchkey.Bench.Tests;

/// <summary>The table <c>make bench</c> ends with keeps its columns (scripts and readers line up on them).</summary>
public sealed class ResultTableTests
{
    [Fact]
    public void Write_HeaderRowsAndFooter_InFixedColumns()
    {
        var table = new ResultTable();
        table.Add("token-client-credentials", new WrkResult("488.05", "58.32ms", "146.79ms", 0, 3));
        table.Add("discovery", new WrkResult(null, null, null, 0, 0));
        using var writer = new StringWriter();

        table.Write(writer, "wrk -t2 -c32 -d3s against x");

        Assert.Equal(
            [
                "",
                "scenario                            req/s        p50        p99   non-2xx  sock-err",
                "token-client-credentials           488.05    58.32ms   146.79ms         0         3",
                "discovery                               -          -          -         0         0",
                "",
                "wrk -t2 -c32 -d3s against x",
                "",
            ],
            writer.ToString().ReplaceLineEndings("\n").Split('\n'));
    }
}
