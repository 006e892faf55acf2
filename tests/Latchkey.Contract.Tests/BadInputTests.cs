using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Duende.IdentityModel.Client;
using Latchkey.OAuth2.Clients;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>Bad input gets the protocol's own error shape, never a 500, and changes nothing.</summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task Token_WrongSecret_Is401InvalidClient()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret + "x",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, token.HttpStatusCode);
        Assert.Equal("invalid_client", Api.OAuth2Error(token));
    }

    [Fact]
    public async Task Token_AuthMethodOtherThanRegistered_IsInvalidClient()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project); // registered with client_secret_basic

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });

        Assert.Equal("invalid_client", Api.OAuth2Error(token));
    }

    [Fact]
    public async Task Token_UnknownGrantType_IsUnsupportedGrantType()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);

        var token = await _api.Http.RequestTokenAsync(new TokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            GrantType = "urn:example:made-up",
        });

        Assert.Equal(HttpStatusCode.BadRequest, token.HttpStatusCode);
        Assert.Equal("unsupported_grant_type", token.Error);
    }

    [Fact]
    public async Task CreateClient_MalformedJson_Is400InvalidRequest()
    {
        var project = await _api.CreateProjectAsync();

        var (status, body) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json("{\"client_name\": "));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(body, "invalid_request");
    }

    [Fact]
    public async Task CreateClient_InvalidRedirectUri_Is400()
    {
        var project = await _api.CreateProjectAsync();

        var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json("""{"redirect_uris":["not a uri"]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ClientErrors.RedirectUriNotAllowed("not a uri", ClientValidator.RedirectProblem("not a uri")!).Description,
            Api.AssertOAuth2Error(body, "invalid_client_metadata"));
        Assert.Equal(ClientErrors.RedirectUriNotAllowed("", "").Id, id);
    }

    [Fact]
    public async Task CreateProject_MalformedJson_Is400InOryEnvelope()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Post, platform.Api("/projects"), platform.WorkspaceKey, Api.Json("[1,"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Gateway_OversizedBody_Is413()
    {
        var project = await _api.CreateProjectAsync();
        var big = new StringContent(new string('a', 300 * 1024), Encoding.UTF8, "application/json");

        var (status, body) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, big);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Api.AssertOAuth2Error(body, "invalid_request");
    }

    [Fact]
    public async Task Gateway_UnknownProjectHost_Is404Json()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, new Uri(platform.IssuerOf("no-such-project-0000000000") + "/.well-known/openid-configuration"), null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Api.AssertOAuth2Error(body, "Not Found");
    }

    [Fact]
    public async Task PatchProject_InvalidPatch_Is400AndChangesNothing()
    {
        var project = await _api.CreateProjectAsync();
        var uri = platform.Api($"/projects/{project.Id}");
        var (_, before) = await _api.SendAsync(HttpMethod.Get, uri, platform.WorkspaceKey);

        // The first operation is valid; the second names an unknown key, so the whole patch must fail.
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, uri, platform.WorkspaceKey, Api.Json("""
            [{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"5m"},
             {"op":"add","path":"/services/oauth2/config/no_such_key","value":true}]
            """));
        var (_, after) = await _api.SendAsync(HttpMethod.Get, uri, platform.WorkspaceKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["error"]!["code"]!.GetValue<int>());
        Assert.Equal(before!["services"]!.ToJsonString(), after!["services"]!.ToJsonString());
    }

    [Fact]
    public async Task PatchProject_AccessTokenTtl_AppliesToNewTokens()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"5m"}]"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("5m", body!["project"]!["services"]!["oauth2"]!["config"]!["ttl"]!["access_token"]!.GetValue<string>());

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
        });

        Assert.InRange(token.ExpiresIn, 290, 300);
    }

    [Fact]
    public async Task ControlPlane_WrongKey_Is401()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, platform.Api("/projects"), "lk_wak_wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task ControlPlane_NoKeyOrWrongKey_Is401ChallengeInOryEnvelope()
    {
        var missing = await ChallengeAsync(platform.Api("/projects"), null);
        var wrong = await ChallengeAsync(platform.Api("/projects"), "lk_wak_wrong");
        var project = await _api.CreateProjectAsync("not-a-workspace-key");
        var projectKey = await ChallengeAsync(platform.Api("/projects"), project.ApiKey);

        foreach (var body in new[] { missing, wrong, projectKey })
        {
            Assert.Equal(401, body["error"]!["code"]!.GetValue<int>());
            Assert.Equal("Unauthorized", body["error"]!["status"]!.GetValue<string>());
        }
        // A missing key and one that does not verify are told apart; a project key is simply not a workspace key.
        Assert.NotEqual(missing["error"]!["reason"]!.GetValue<string>(), wrong["error"]!["reason"]!.GetValue<string>());
        Assert.Equal(wrong.ToJsonString(), projectKey.ToJsonString());
    }

    [Fact]
    public async Task Admin_NoKeyWrongKeyOrOtherProjectsKey_SameOAuth2Challenge()
    {
        var project = await _api.CreateProjectAsync("admin-auth");
        var other = await _api.CreateProjectAsync("admin-auth-other");
        var uri = _api.At(project, "/admin/clients");

        var bodies = new[] { await ChallengeAsync(uri, null), await ChallengeAsync(uri, "lk_pat_wrong"), await ChallengeAsync(uri, other.ApiKey) };

        Assert.All(bodies, body => Api.AssertOAuth2Error(body, "request_unauthorized"));
        Assert.Single(bodies.Select(b => b.ToJsonString()).Distinct());
    }

    async Task<System.Text.Json.Nodes.JsonNode> ChallengeAsync(Uri uri, string? bearer)
    {
        using var response = await _api.Http.SendAsync(_api.Request(HttpMethod.Get, uri, bearer));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Gateway_IncomingLatchkeyHeaders_AreNotTrusted()
    {
        var a = await _api.CreateProjectAsync("a");
        var b = await _api.CreateProjectAsync("b");
        var request = _api.Request(HttpMethod.Get, _api.At(b, "/admin/clients"), a.ApiKey);
        request.Headers.Add("X-Latchkey-Project-Id", a.Id);

        using var response = await _api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_NotForm_IsInvalidRequest()
    {
        var project = await _api.CreateProjectAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, project.Issuer + "/oauth2/token") { Content = Api.Json("{}") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "eDp5");

        using var response = await _api.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", text);
    }
}
