using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>
/// Numbers, dates and sizes from outside reach the control plane only within bounds: out of range is a 400 (or 413)
/// in Ory's envelope, never a 500; and every answer says nosniff.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ControlPlaneInputTests(ConsoleFixture fixture)
{
    readonly HttpClient _http = fixture.Platform.CreateClient();

    [Theory]
    [InlineData("from=9999-01-01")]
    [InlineData("from=9999-01-01&to=9999-12-31")]
    [InlineData("from=9999-12-31&to=9999-12-31")]
    [InlineData("to=0001-01-01")]
    [InlineData("from=0001-01-01&to=0001-01-02")]
    [InlineData("from=2024-13-01")]
    [InlineData("to=99999-01-01")]
    public async Task Usage_DatesOutOfRange_Return400InOrysEnvelope(string query)
    {
        // Before: 9999-12-31 plus a day, or 0001-01-01 minus 29 days, threw out of DateOnly's range: a 500.
        var project = await fixture.Client(fixture.Platform.WorkspaceKey).CreateProjectAsync("usage-bounds", CancellationToken.None);
        using var response = await GetAsync($"/projects/{project.Id}/usage?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(400, error["code"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(error["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Usage_EarlyToWithoutFrom_IsClampedNotRefused()
    {
        var project = await fixture.Client(fixture.Platform.WorkspaceKey).CreateProjectAsync("usage-clamp", CancellationToken.None);
        using var response = await GetAsync($"/projects/{project.Id}/usage?to=2000-01-05");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2000-01-01", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["from"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1e3")]
    public async Task Ops_MinutesOutOfRange_Return400(string minutes)
    {
        var project = await fixture.Client(fixture.Platform.WorkspaceKey).CreateProjectAsync("ops-bounds", CancellationToken.None);
        using var response = await GetAsync($"/projects/{project.Id}/ops?minutes={minutes}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/name","value":9223372036854775807}]""")]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"9999999999999999h"}]""")]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":1e308}]""")]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"2562047h47m16.854775807s"}]""")]
    public async Task Patch_NumbersOutOfRange_Return400(string patch)
    {
        var project = await fixture.Client(fixture.Platform.WorkspaceKey).CreateProjectAsync("patch-bounds", CancellationToken.None);
        using var request = Request(HttpMethod.Patch, fixture.Platform.Api($"/projects/{project.Id}"));
        request.Content = new StringContent(patch, Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59-14:00")]
    [InlineData("0001-01-01T00:00:00+14:00")]
    [InlineData("99999-01-01T00:00:00Z")]
    public async Task ProjectApiKey_ExpiryOutOfRange_Returns400(string expiresAt)
    {
        var project = await fixture.Client(fixture.Platform.WorkspaceKey).CreateProjectAsync("expiry-bounds", CancellationToken.None);
        using var request = Request(HttpMethod.Post, fixture.Platform.Api($"/projects/{project.Id}/tokens"));
        request.Content = new StringContent($$"""{"name":"ci","expires_at":"{{expiresAt}}"}""", Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_PostedStraightToTheControlPlane_Returns413InOrysEnvelope()
    {
        // Straight to the service, past the gateway's own cap.
        using var direct = new HttpClient();
        foreach (var chunked in new[] { false, true })
        {
            using var request = Request(HttpMethod.Post, new Uri(fixture.Platform.ServiceUrls[1], "/projects"));
            var body = "{\"name\":\"" + new string('x', 2 << 20) + "\"}";
            request.Content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new StringContent(body, Encoding.UTF8, "application/json");
            if (chunked) request.Headers.TransferEncodingChunked = true;
            using var response = await direct.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal(413, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<int>());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task EveryAnswer_SaysNosniff()
    {
        using var direct = new HttpClient();
        foreach (var path in new[] { "/projects", "/no-such-route", "/health/alive" })
        {
            using var request = Request(HttpMethod.Get, new Uri(fixture.Platform.ServiceUrls[1], path));
            using var response = await direct.SendAsync(request);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    Task<HttpResponseMessage> GetAsync(string path) => _http.SendAsync(Request(HttpMethod.Get, fixture.Platform.Api(path)));

    HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Platform.WorkspaceKey);
        return request;
    }
}
