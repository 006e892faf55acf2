using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// PostgreSQL becomes unreachable for the oauth2 service mid-run (its connection is cut at a real TCP proxy):
/// every OAuth2 endpoint answers 503 <c>temporarily_unavailable</c> with <c>Retry-After</c>, and all works
/// again once the database is back.
/// </summary>
public sealed class OutageTests(OutageFixture outage) : IClassFixture<OutageFixture>
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(outage.Platform);

    [Fact]
    public async Task DatabaseDown_EveryOAuth2Endpoint_Is503TemporarilyUnavailable_AndRecovers()
    {
        var project = await _api.CreateProjectAsync("outage");
        var m2m = await _api.CreateClientAsync(project);
        var web = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid"}
            """);
        var token = (await TokenAsync(project, m2m)).AccessToken!;

        outage.Database.Cut();
        try
        {
            var pkce = Pkce.New();
            var authorize = new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
                clientId: web.Id, responseType: "code", scope: "openid", redirectUri: RedirectUri, state: "state-123",
                codeChallenge: pkce.Challenge, codeChallengeMethod: "S256");
            var requests = new (string Name, Func<HttpRequestMessage> Request)[]
            {
                ("token", () => Form(project, "/oauth2/token", m2m, new() { ["grant_type"] = "client_credentials" })),
                ("revoke", () => Form(project, "/oauth2/revoke", m2m, new() { ["token"] = token })),
                ("introspect", () => _api.Request(HttpMethod.Post, _api.At(project, "/admin/oauth2/introspect"), project.ApiKey,
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }))),
                ("auth", () => new HttpRequestMessage(HttpMethod.Get, authorize)),
                ("userinfo", () => _api.Request(HttpMethod.Get, _api.At(project, "/userinfo"), token)),
                ("admin", () => _api.Request(HttpMethod.Get, _api.At(project, "/admin/clients"), project.ApiKey)),
            };
            foreach (var (name, request) in requests)
            {
                using var response = await _api.Http.SendAsync(request());
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name} answered {(int)response.StatusCode}: {text}");
                Api.AssertOAuth2Error(JsonNode.Parse(text), "temporarily_unavailable");
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{name} has no Retry-After");
            }
        }
        finally
        {
            outage.Database.Restore();
        }

        // Pooled connections the cut broke are found out on use; within moments every request succeeds again.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        TokenResponse again;
        while ((again = await TokenAsync(project, m2m)).IsError && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.False(again.IsError, again.Error + " " + again.Raw);
        Assert.True((await _api.IntrospectAsync(project, again.AccessToken!))["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients"), project.ApiKey)).Status);
    }

    Task<TokenResponse> TokenAsync(TestProject project, TestClient client) =>
        _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
        });

    HttpRequestMessage Form(TestProject project, string path, TestClient client, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _api.At(project, path)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(client.Id)}:{Uri.EscapeDataString(client.Secret)}")));
        return request;
    }
}
