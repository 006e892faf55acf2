using Xunit;

namespace Latchkey.Bench.Tests;

/// <summary>The <c>BENCH_*</c> knobs: the defaults scripts/bench.sh documents, and a clear error for a bad value.</summary>
public sealed class BenchSettingsTests
{
    static BenchSettings From(params (string Name, string Value)[] variables)
    {
        var env = variables.ToDictionary(v => v.Name, v => v.Value);
        return BenchSettings.FromEnvironment(name => env.TryGetValue(name, out var value) ? value : null);
    }

    [Fact]
    public void FromEnvironment_Nothing_IsTheDocumentedDefaults()
    {
        var settings = From();

        Assert.Equal(new BenchSettings("10s", 2, 32, "3s", 64, 4, null), settings);
        Assert.True(settings.HasWarmup);
        Assert.True(settings.Wants("discovery"));
    }

    [Theory]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("7", 7)]
    public void DurationSeconds_ReadsWrksUnits(string duration, int seconds) =>
        Assert.Equal(seconds, From(("BENCH_DURATION", duration)).DurationSeconds);

    [Fact]
    public void FromEnvironment_Counters_IsTheToolPath() =>
        Assert.Equal("/t/dotnet-counters", From(("BENCH_COUNTERS", "/t/dotnet-counters")).CountersTool);

    [Fact]
    public void FromEnvironment_RefreshPool_FollowsTheConnections()
    {
        Assert.Equal(20, From(("BENCH_CONNECTIONS", "10")).RefreshPool);
    }

    [Fact]
    public void FromEnvironment_ScenariosAndNoWarmup_SelectASubset()
    {
        var settings = From(("BENCH_SCENARIOS", " discovery  token-refresh "), ("BENCH_WARMUP", "0"));

        Assert.False(settings.HasWarmup);
        Assert.True(settings.Wants("token-refresh"));
        Assert.False(settings.Wants("introspection"));
    }

    [Theory]
    [InlineData("BENCH_THREADS", "0", "BENCH_THREADS must be a whole number above 0, got '0'")]
    [InlineData("BENCH_CONNECTIONS", "many", "BENCH_CONNECTIONS must be a whole number above 0, got 'many'")]
    [InlineData("BENCH_DURATION", "10 seconds", "BENCH_DURATION must be a wrk duration such as 10s, 2m or 1h (or 0), got '10 seconds'")]
    [InlineData("BENCH_REFRESH_POOL", "32", "BENCH_REFRESH_POOL (32) must be more than BENCH_CONNECTIONS (32): every connection holds a token in flight (see scripts/bench/refresh.lua)")]
    public void FromEnvironment_BadValue_SaysWhichKnobAndWhy(string name, string value, string message)
    {
        var error = Assert.Throws<BenchException>(() => From((name, value)));

        Assert.Equal(message, error.Message);
    }
}
