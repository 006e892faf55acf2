using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The gateway's per-project rate limits on, on the Production plan: a <c>dev</c> project gets the Developer limits
/// (other endpoints: 5 a second, 150 a minute), a <c>prod</c> project the Production ones (40 and 900).
/// </summary>
public sealed class RateLimitPlatformFixture : IAsyncLifetime
{
    public PlatformFixture Platform { get; } = new()
    {
        ExtraArgs = ["--LATCHKEY_RATE_LIMITS=true", "--LATCHKEY_PLAN_DEFAULT_NAME=production"],
    };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

public sealed class RateLimitTests(RateLimitPlatformFixture fixture) : IClassFixture<RateLimitPlatformFixture>
{
    readonly PlatformFixture _platform = fixture.Platform;

    async Task<TestProject> ProjectAsync(string environment)
    {
        var api = new Api(_platform);
        var (status, body) = await api.SendAsync(HttpMethod.Post, _platform.Api("/projects"), _platform.WorkspaceKey, JsonContent.Create(new { name = "limits", environment }));
        Assert.Equal(HttpStatusCode.Created, status);
        var slug = body!["slug"]!.GetValue<string>();
        return new TestProject(body["id"]!.GetValue<string>(), slug, _platform.IssuerOf(slug), "");
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task ProjectOnASmallPlan_Gets429WithRateLimitHeaders_AnotherProjectIsUnaffected()
    {
        var small = await ProjectAsync("dev");
        var other = await ProjectAsync("prod");
        using var http = _platform.CreateClient();
        var discovery = "/.well-known/openid-configuration";

        using (var first = await http.GetAsync(small.Issuer + discovery))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("5, 5;w=1, 150;w=60", Header(first, "x-ratelimit-limit"));
            Assert.Equal("4", Header(first, "x-ratelimit-remaining"));
            Assert.InRange(long.Parse(Header(first, "x-ratelimit-reset")!, CultureInfo.InvariantCulture), 0, 1);
        }

        // Before: nothing limited a project at the gateway; every request reached oauth2.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 150 && limited is null; i++)
        {
            var response = await http.GetAsync(small.Issuer + discovery);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }
        Assert.NotNull(limited);
        using (limited)
        {
            var body = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
            Assert.Equal("rate_limited", body["error"]!.GetValue<string>());
            Assert.Contains("per second", body["error_description"]!.GetValue<string>());
            Assert.Equal("LK6100", Api.ErrorIdOf(limited));
            Assert.Equal("0", Header(limited, "x-ratelimit-remaining"));
            Assert.StartsWith("5, ", Header(limited, "x-ratelimit-limit"));
            Assert.InRange(long.Parse(Header(limited, "Retry-After")!, CultureInfo.InvariantCulture), 1, 1);
        }

        // Another project (on the same plan, in production) has buckets of its own, and larger ones.
        using var unaffected = await http.GetAsync(other.Issuer + discovery);
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        Assert.Equal("40, 40;w=1, 900;w=60", Header(unaffected, "x-ratelimit-limit"));
        Assert.Equal("39", Header(unaffected, "x-ratelimit-remaining"));

        // The small project's token endpoint is another bucket: still open.
        using var token = await http.PostAsync(small.Issuer + "/oauth2/token", new FormUrlEncodedContent([new("grant_type", "client_credentials")]));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, token.StatusCode);
        Assert.Equal("10, 10;w=1, 300;w=60", Header(token, "x-ratelimit-limit"));
    }

    [Fact]
    public async Task ControlPlaneAndConsole_AreNotLimitedPerProject()
    {
        using var http = _platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _platform.Api("/projects"));
        request.Headers.Authorization = new("Bearer", _platform.WorkspaceKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "x-ratelimit-limit"));
    }
}
