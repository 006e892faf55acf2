using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// <c>GET /projects/{id}/ops</c>: per-project, per-minute request counts, errors and p99 of the token,
/// introspection and authorization endpoints, recorded by the oauth2 service in Redis (best effort).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OpsTests(PlatformFixture platform)
{
    const int Tokens = 4;
    const int Introspections = 3;

    readonly Api _api = new(platform);

    [Fact]
    public async Task Ops_TokenAndIntrospectionRequests_CountedPerProjectWithErrorsAndP99()
    {
        var project = await _api.CreateProjectAsync("ops");
        var other = await _api.CreateProjectAsync("ops-other");
        var client = await _api.CreateClientAsync(project);

        string? token = null;
        for (var i = 0; i < Tokens; i++)
        {
            using var response = await RequestTokenAsync(project, client.Id, client.Secret);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        }
        using (var bad = await RequestTokenAsync(project, client.Id, "wrong-secret"))
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        for (var i = 0; i < Introspections; i++) Assert.True((await _api.IntrospectAsync(project, token!))["active"]!.GetValue<bool>());

        // Samples are written fire-and-forget: wait until all of them are in.
        var ops = await WaitForOpsAsync(project, o => Totals(o, "token")["requests"]!.GetValue<long>() == Tokens + 1
            && Totals(o, "introspection")["requests"]!.GetValue<long>() == Introspections);

        Assert.Equal(project.Id, ops["project_id"]!.GetValue<string>());
        Assert.True(ops["available"]!.GetValue<bool>());
        var tokenTotals = Totals(ops, "token");
        Assert.Equal(0, tokenTotals["errors"]!.GetValue<long>());
        Assert.Equal(1, tokenTotals["client_errors"]!.GetValue<long>());
        Assert.Equal(0, tokenTotals["error_rate"]!.GetValue<double>());
        Assert.True(tokenTotals["p99_ms"]!.GetValue<int>() > 0);
        Assert.True(tokenTotals["rps"]!.GetValue<double>() > 0);
        var introspectionTotals = Totals(ops, "introspection");
        Assert.Equal(0, introspectionTotals["client_errors"]!.GetValue<long>());
        Assert.True(introspectionTotals["p99_ms"]!.GetValue<int>() > 0);
        Assert.Equal(0, Totals(ops, "authorization")["requests"]!.GetValue<long>());
        Assert.Null(Totals(ops, "authorization")["p99_ms"]);

        // Every minute of the hour is there, oldest first, and the minutes add up to the totals.
        var series = ops["endpoints"]!["token"]!["series"]!.AsArray();
        Assert.Equal(60, series.Count);
        Assert.Equal(Tokens + 1, series.Sum(m => m!["requests"]!.GetValue<long>()));
        Assert.True(series[0]!["minute"]!.GetValue<DateTimeOffset>() < series[^1]!["minute"]!.GetValue<DateTimeOffset>());

        // Another project of the same workspace saw none of it.
        var quiet = await GetOpsAsync(other);
        foreach (var endpoint in new[] { "token", "introspection", "authorization" })
            Assert.Equal(0, Totals(quiet, endpoint)["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task Ops_WindowAndAccess_Checked()
    {
        var project = await _api.CreateProjectAsync("ops-window");
        var (status, body) = await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/ops?minutes=5"), platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, body!["endpoints"]!["introspection"]!["series"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.BadRequest, (await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/ops?minutes=0"), platform.WorkspaceKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{Guid.NewGuid()}/ops"), platform.WorkspaceKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/ops"), project.ApiKey)).Status);
    }

    static JsonNode Totals(JsonNode ops, string endpoint) => ops["endpoints"]![endpoint]!["totals"]!;

    Task<HttpResponseMessage> RequestTokenAsync(TestProject project, string clientId, string secret)
    {
        var request = _api.Request(HttpMethod.Post, _api.At(project, "/oauth2/token"), null, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "read",
        }));
        var credentials = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return _api.Http.SendAsync(request);
    }

    async Task<JsonNode> GetOpsAsync(TestProject project)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/ops"), platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    async Task<JsonNode> WaitForOpsAsync(TestProject project, Func<JsonNode, bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var ops = await GetOpsAsync(project);
            if (condition(ops) || DateTime.UtcNow > until) return ops;
            await Task.Delay(100);
        }
    }
}
