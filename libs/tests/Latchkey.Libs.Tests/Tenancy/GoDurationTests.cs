using Latchkey.Tenancy;
using Xunit;

namespace Latchkey.Libs.Tests.Tenancy;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1h", 3600)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("1.5h", 5400)]
    [InlineData("2h45m30s", 9930)]
    [InlineData("1000us", 0.001)]
    [InlineData("1000µs", 0.001)]
    [InlineData("1000000000ns", 1)]
    public void TryParse_GoSyntax_Parses(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("h")]
    [InlineData("1d")]
    [InlineData("-1h")]
    [InlineData("1h ")]
    [InlineData("1..5h")]
    [InlineData("99999999999999999h")]
    public void TryParse_NotADuration_ReturnsFalse(string? text) => Assert.False(GoDuration.TryParse(text, out _));

    [Fact]
    public void Parse_Invalid_ThrowsFormatException() => Assert.Throws<FormatException>(() => GoDuration.Parse("soon"));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(111600, "31h0m0s")]
    [InlineData(90, "1m30s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(0.5, "500ms")]
    [InlineData(3661, "1h1m1s")]
    public void Format_WritesWhatGoWrites(double seconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), GoDuration.Parse(expected));
    }
}
