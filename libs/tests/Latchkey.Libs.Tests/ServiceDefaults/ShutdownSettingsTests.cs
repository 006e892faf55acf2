using Latchkey.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Latchkey.Libs.Tests.ServiceDefaults;

public sealed class ShutdownSettingsTests
{
    static IConfiguration Config(string? delay, string? timeout) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LATCHKEY_SHUTDOWN_DELAY_SECONDS"] = delay,
            ["LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS"] = timeout,
        })
        .Build();

    [Fact]
    public void From_Nothing_ServesNoExtraTimeAndDrainsFor25Seconds()
    {
        Assert.Equal(new ShutdownSettings(TimeSpan.Zero, TimeSpan.FromSeconds(25)), ShutdownSettings.From(Config(null, null)));
    }

    [Fact]
    public void From_Seconds_AreRead()
    {
        Assert.Equal(new ShutdownSettings(TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(40)), ShutdownSettings.From(Config("2.5", "40")));
    }

    [Theory]
    [InlineData("-1", null, "LATCHKEY_SHUTDOWN_DELAY_SECONDS")]
    [InlineData("301", null, "LATCHKEY_SHUTDOWN_DELAY_SECONDS")]
    [InlineData(null, "soon", "LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS")]
    [InlineData(null, "3601", "LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS")]
    public void From_BadValue_RefusesNamingTheSetting(string? delay, string? timeout, string setting)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ShutdownSettings.From(Config(delay, timeout)));

        Assert.StartsWith(setting + " must be a number of seconds", refused.Message, StringComparison.Ordinal);
    }
}
