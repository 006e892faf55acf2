using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>Failed client authentication is throttled per client (issue 8, item 10).</summary>
[Collection(PlatformCollection.Name)]
public sealed class ClientAuthThrottleTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    Task<(HttpStatusCode Status, HttpResponseMessage Response, JsonNode? Body)> TokenAsync(TestProject project, string clientId, string secret) =>
        TokenAsync(_api.Http, project, clientId, secret);

    static async Task<(HttpStatusCode Status, HttpResponseMessage Response, JsonNode? Body)> TokenAsync(HttpClient http, TestProject project, string clientId, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(project.Issuer + "/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task BurstOfWrongSecrets_Is429WithRetryAfter_EvenForTheRightSecret_OtherClientsUnaffected()
    {
        var project = await _api.CreateProjectAsync("throttle");
        var target = await _api.CreateClientAsync(project, """{"grant_types":["client_credentials"],"client_secret":"chosen-secret"}""");
        var other = await _api.CreateClientAsync(project, """{"grant_types":["client_credentials"],"client_secret":"other-secret"}""");

        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(project, target.Id, "wrong-secret")).Status);

        var watch = Stopwatch.StartNew();
        var (status, response, body) = await TokenAsync(project, target.Id, "wrong-secret");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("temporarily_unavailable", body!["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["error_description"]!.GetValue<string>()));

        var right = await TokenAsync(project, target.Id, "chosen-secret");
        Assert.Equal(HttpStatusCode.TooManyRequests, right.Status);
        Assert.True(right.Response.Headers.Contains("Retry-After"));

        var unaffected = await TokenAsync(project, other.Id, "other-secret");
        Assert.True(unaffected.Status == HttpStatusCode.OK, $"{unaffected.Status} {unaffected.Body}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"throttled answers took {watch.Elapsed}");
    }

    [Fact]
    public async Task WrongSecretsSplitAcrossTwoOAuth2Replicas_ThrottleTheClientOnBoth()
    {
        var replica = await platform.StartOAuth2ReplicaAsync();
        using var viaReplica = platform.CreateClient(port: replica);
        var project = await _api.CreateProjectAsync("throttle-replicas");
        var target = await _api.CreateClientAsync(project, """{"grant_types":["client_credentials"],"client_secret":"chosen-secret"}""");

        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(i % 2 == 0 ? _api.Http : viaReplica, project, target.Id, "wrong-secret")).Status);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenAsync(viaReplica, project, target.Id, "chosen-secret")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TokenAsync(_api.Http, project, target.Id, "chosen-secret")).Status);
    }

    [Fact]
    public async Task ChosenSecret_AfterRotation_TheOldOneFails_DespiteTheRememberedCheck()
    {
        var project = await _api.CreateProjectAsync("throttle-rotate");
        var client = await _api.CreateClientAsync(project, """{"grant_types":["client_credentials"],"client_secret":"first-secret"}""");
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(project, client.Id, "first-secret")).Status);

        var (put, _) = await _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey,
            Api.Json("""{"grant_types":["client_credentials"],"client_secret":"second-secret"}"""));
        Assert.Equal(HttpStatusCode.OK, put);

        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(project, client.Id, "first-secret")).Status);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(project, client.Id, "second-secret")).Status);
    }
}
