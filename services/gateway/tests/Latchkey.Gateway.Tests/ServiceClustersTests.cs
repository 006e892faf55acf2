using Latchkey.Gateway.Destinations;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Latchkey.Gateway.Tests;

public sealed class ServiceClustersTests
{
    [Fact]
    public void CommaSeparatedUrls_AreOneDestinationEach_RoundRobin_WithBothHealthChecks()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LATCHKEY_OAUTH2_URL"] = "http://10.0.0.5:8080, http://10.0.0.6:8080/",
        }).Build();

        var oauth2 = ServiceClusters.From(config).Single(c => c.ClusterId == "oauth2");

        Assert.Equal(["http://10.0.0.5:8080/", "http://10.0.0.6:8080/"], oauth2.Destinations!.Values.Select(d => d.Address));
        Assert.Equal("RoundRobin", oauth2.LoadBalancingPolicy);
        Assert.True(oauth2.HealthCheck!.Active!.Enabled);
        Assert.Equal("/health/ready", oauth2.HealthCheck.Active.Path);
        Assert.Equal(TransportFailurePolicy.PolicyName, oauth2.HealthCheck.Passive!.Policy);
    }

    [Theory]
    [InlineData("oauth2:8080", "not an absolute http or https URL")]
    [InlineData("ftp://10.0.0.5", "not an absolute http or https URL")]
    [InlineData("http://10.0.0.5:8080/oauth2", "must be a base URL")]
    [InlineData("http://user:pw@10.0.0.5:8080", "must be a base URL")]
    [InlineData("http://10.0.0.5:8080,http://10.0.0.5:8080", "listed twice")]
    [InlineData(" , ", "names no URL")]
    public void MalformedUrl_StopsTheStart_NamingTheSetting(string value, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceClusters.ParseUrls("LATCHKEY_OAUTH2_URL", value, "http://127.0.0.1:4432"));
        Assert.StartsWith("LATCHKEY_OAUTH2_URL", error.Message);
        Assert.Contains(why, error.Message);
    }
}
