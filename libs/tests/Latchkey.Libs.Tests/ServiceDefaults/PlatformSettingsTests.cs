using Latchkey.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Xunit;

namespace Latchkey.Libs.Tests.ServiceDefaults;

public sealed class PlatformSettingsTests
{
    static IConfiguration Config(string? secrets) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [PlatformSettings.SystemSecretsSetting] = secrets })
        .Build();

    static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void From_EmptySystemSecretInProduction_RefusesNamingTheSetting(string? secrets)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => PlatformSettings.From(Config(secrets), Environment(Environments.Production)));

        Assert.Contains(PlatformSettings.SystemSecretsSetting, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_EmptySystemSecretInDevelopment_FallsBackToTheDevelopmentSecret()
    {
        var settings = PlatformSettings.From(Config(null), Environment(Environments.Development));

        Assert.Single(settings.SystemSecrets);
    }

    [Fact]
    public void From_SystemSecretsInProduction_KeepsThemInOrder()
    {
        var settings = PlatformSettings.From(Config("new-secret, old-secret"), Environment(Environments.Production));

        Assert.Equal(["new-secret", "old-secret"], settings.SystemSecrets);
    }
}
