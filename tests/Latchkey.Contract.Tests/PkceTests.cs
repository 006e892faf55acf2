using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary><c>oauth2.pkce.enforced_for_public_clients</c> (default true) is enforced (issue 8, item 9).</summary>
[Collection(PlatformCollection.Name)]
public sealed class PkceTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(platform);

    static string WithoutPkce(TestProject project, string clientId) =>
        new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(clientId: clientId, responseType: "code", scope: "openid",
            redirectUri: RedirectUri, state: "s", nonce: "n");

    async Task<HttpResponseMessage> AuthorizeAsync(TestProject project, string clientId)
    {
        using var browser = platform.CreateClient();
        return await browser.GetAsync(WithoutPkce(project, clientId));
    }

    async Task<string> ClientAsync(TestProject project, string authMethod)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json($$"""
            {"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid","token_endpoint_auth_method":"{{authMethod}}"}
            """));
        Assert.Equal(HttpStatusCode.Created, status);
        return body!["client_id"]!.GetValue<string>();
    }

    [Fact]
    public async Task PublicClient_WithoutCodeChallenge_IsRefused_UnlessTheProjectTurnsItOff()
    {
        var project = await _api.CreateProjectAsync("pkce");
        var publicClient = await ClientAsync(project, "none");
        var confidential = await ClientAsync(project, "client_secret_basic");

        using (var refused = await AuthorizeAsync(project, publicClient))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Null(refused.Headers.Location);
            Assert.Contains("code_challenge", await refused.Content.ReadAsStringAsync());
        }
        using (var allowed = await AuthorizeAsync(project, confidential))
            Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);

        var (patched, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/oauth2/pkce/enforced_for_public_clients","value":false}]"""));
        Assert.Equal(HttpStatusCode.OK, patched);
        // Project changes reach the oauth2 service through the change feed: allow it a moment.
        HttpStatusCode status = default;
        for (var i = 0; i < 50 && status != HttpStatusCode.Redirect; i++)
        {
            if (i > 0) await Task.Delay(100);
            using var response = await AuthorizeAsync(project, publicClient);
            status = response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Redirect, status);
    }
}
