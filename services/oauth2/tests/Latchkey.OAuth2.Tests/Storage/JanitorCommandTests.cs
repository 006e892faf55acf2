using Latchkey.OAuth2.Storage;
using Latchkey.Testing;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary><c>dotnet Latchkey.OAuth2.dll janitor</c>: its flags as <c>hydra janitor</c> takes them, and its exit codes.</summary>
public sealed class JanitorCommandTests
{
    [Theory]
    [InlineData("--batch-size", "0", "--batch-size: '0' is not a whole number from 1 to 100000")]
    [InlineData("--batch-size", "100001", "--batch-size: '100001'")]
    [InlineData("--batch-size", "-5", "--batch-size: '-5'")]
    [InlineData("--limit", "0", "--limit: '0' is not a whole number of 1 or more")]
    [InlineData("--limit", "ten", "--limit: 'ten'")]
    [InlineData("--keep-if-younger", "-1h", "--keep-if-younger: '-1h' is not a duration")]
    [InlineData("--keep-if-younger", "24", "--keep-if-younger: '24'")]
    [InlineData("--keep-if-younger", "1d", "--keep-if-younger: '1d'")]
    [InlineData("--keep-if-younger", "87601h", "--keep-if-younger: '87601h'")]
    public async Task Run_BadFlagValue_ExitsTwoNamingTheFlag(string flag, string value, string message)
    {
        var (code, _, error) = await RunAsync("janitor", flag, value);

        Assert.Equal(2, code);
        Assert.Contains($"janitor: {message}", error, StringComparison.Ordinal);
        Assert.Contains("usage: dotnet Latchkey.OAuth2.dll janitor", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tokens=yes", "--tokens takes no value")]
    [InlineData("--limit", "--limit needs a value")]
    [InlineData("--everything", "unknown argument '--everything'")]
    [InlineData("tokens", "unknown argument 'tokens'")]
    public async Task Run_BadArgument_ExitsTwo(string argument, string message)
    {
        var (code, _, error) = await RunAsync("janitor", argument);

        Assert.Equal(2, code);
        Assert.Contains($"janitor: {message}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FlagsAsHydraTakesThem_SelectsAndSetsEach()
    {
        Assert.Null(JanitorOptions.TryParse(["--tokens", "--grants", "--keep-if-younger", "1h30m", "--batch-size=250", "--limit", "5000", "--LATCHKEY_DATABASE_URL=Host=x"], out var options, out var settings));

        Assert.Equal(JanitorTargets.Tokens | JanitorTargets.Grants, options.Targets);
        Assert.Equal(TimeSpan.FromMinutes(90), options.KeepIfYounger);
        Assert.Equal((250, 5000L), (options.BatchSize, options.Limit));
        Assert.Equal(["--LATCHKEY_DATABASE_URL=Host=x"], settings);
    }

    [Fact]
    public void Parse_NoFlags_PrunesEverythingInBatchesOfAThousandWithoutLimit()
    {
        Assert.Null(JanitorOptions.TryParse([], out var options, out _));

        Assert.Equal(new JanitorOptions { Targets = JanitorTargets.All, BatchSize = 1_000, Limit = null, KeepIfYounger = TimeSpan.Zero }, options);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("24h", 86_400)]
    [InlineData("1h30m", 5_400)]
    [InlineData("90s", 90)]
    [InlineData("1.5h", 5_400)]
    [InlineData("1500ms", 1.5)]
    public void ParseDuration_GoDurations_AreRead(string value, double seconds)
    {
        Assert.True(JanitorOptions.TryParseDuration(value, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public async Task Run_DatabaseUnreachable_ExitsOneAndNamesTheDatabase()
    {
        var closed = PlatformFixture.FreePort();

        var (code, _, error) = await RunAsync("janitor", "--tokens", $"--LATCHKEY_DATABASE_URL=Host=127.0.0.1;Port={closed};Username=latchkey;Database=nowhere");

        Assert.Equal(1, code);
        Assert.Contains($"janitor: database nowhere at 127.0.0.1:{closed} as latchkey", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MigratedDatabase_PrintsEachSweepAndExitsZero()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        await db.InsertTokensAsync(Guid.NewGuid().ToString("N"), 30, TimeProvider.System.GetUtcNow().AddHours(-1));

        var (code, output, error) = await RunAsync("janitor", "--batch-size", "10", $"--LATCHKEY_DATABASE_URL={db.ConnectionString}");

        Assert.True(code == 0, error);
        Assert.Contains($"tokens ({db.Tokens}): 30 deleted in 3 batch(es) of at most 10", output, StringComparison.Ordinal);
        Assert.Contains("console session keys (latchkey.mt_doc_apikey): 0 deleted", output, StringComparison.Ordinal);
        Assert.Contains("janitor: 30 row(s) deleted in ", output, StringComparison.Ordinal);
    }

    static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using StringWriter output = new(), error = new();
        var code = await JanitorCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    static IConfiguration Config(string? interval, string? keep = null) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["LATCHKEY_JANITOR_INTERVAL"] = interval, ["LATCHKEY_JANITOR_KEEP_IF_YOUNGER"] = keep })
        .Build();

    [Theory]
    [InlineData(null, 600)]
    [InlineData("90s", 90)]
    [InlineData("1h", 3600)]
    public void Settings_Interval_IsReadAsADuration(string? interval, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), JanitorSettings.From(Config(interval)).Interval);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("0")]
    public void Settings_IntervalOff_RunsNoService(string interval)
    {
        Assert.Null(JanitorSettings.From(Config(interval)).Interval);
    }

    [Theory]
    [InlineData("10", null, "LATCHKEY_JANITOR_INTERVAL")]
    [InlineData("500ms", null, "LATCHKEY_JANITOR_INTERVAL")]
    [InlineData("200h", null, "LATCHKEY_JANITOR_INTERVAL")]
    [InlineData(null, "1d", "LATCHKEY_JANITOR_KEEP_IF_YOUNGER")]
    public void Settings_BadValue_RefusesNamingTheSetting(string? interval, string? keep, string setting)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => JanitorSettings.From(Config(interval, keep)));

        Assert.StartsWith(setting + " must be a duration", refused.Message, StringComparison.Ordinal);
    }
}
