using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

[Collection(PlatformCollection.Name)]
public sealed class HealthTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("/health/alive")]
    [InlineData("/health/ready")]
    public async Task Health_EveryService_AnswersOk(string path)
    {
        using var http = new HttpClient();
        foreach (var service in platform.ServiceUrls)
        {
            using var response = await http.GetAsync(new Uri(service, path));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{service}{path} answered {(int)response.StatusCode}");
            Assert.Equal("ok", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task EveryService_SaysNosniff_OnItsAnswersAndItsErrors()
    {
        using var http = new HttpClient();
        foreach (var service in platform.ServiceUrls.Append(platform.ConsoleServiceUrl))
        {
            foreach (var path in new[] { "/health/alive", "/no-such-path" })
            {
                using var response = await http.GetAsync(new Uri(service, path));
                Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values), $"{service}{path} has no X-Content-Type-Options");
                Assert.Equal("nosniff", Assert.Single(values));
            }
        }
    }

    [Fact]
    public async Task OAuth2Service_ReachedDirectlyWithUnknownHost_Is404()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(platform.ServiceUrls[2], "/.well-known/openid-configuration"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
