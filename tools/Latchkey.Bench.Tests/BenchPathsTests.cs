using Xunit;

namespace Latchkey.Bench.Tests;

public sealed class BenchPathsTests
{
    [Fact]
    public void Parse_RequiredAndOptional_AsFullPaths()
    {
        var paths = BenchPaths.Parse(["--scripts", "s", "--out", "o", "--peer", "/p"]);

        Assert.Equal(new BenchPaths(Path.GetFullPath("o"), Path.GetFullPath("s"), null, "/p"), paths);
    }

    [Fact]
    public void Parse_Scale_IsANumberOfProjects()
    {
        Assert.Equal(500, BenchPaths.Parse(["--out", "o", "--scripts", "s", "--scale", "500"]).ScaleProjects);
        Assert.Null(BenchPaths.Parse(["--out", "o", "--scripts", "s"]).ScaleProjects);
        Assert.Throws<BenchException>(() => BenchPaths.Parse(["--out", "o", "--scripts", "s", "--scale", "0"]));
    }

    [Theory]
    [InlineData("--out", "o")]
    [InlineData("--out", "o", "--scripts")]
    [InlineData("--out", "o", "--scripts", "s", "--bogus", "x")]
    public void Parse_MissingOrUnknown_Throws(params string[] args) =>
        Assert.Throws<BenchException>(() => BenchPaths.Parse(args));
}
