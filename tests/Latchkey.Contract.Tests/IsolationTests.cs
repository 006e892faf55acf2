using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>A key, client or token of project A is worthless at project B.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IsolationTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task Introspect_TokenOfOtherProject_IsInactive()
    {
        var a = await _api.CreateProjectAsync("a");
        var b = await _api.CreateProjectAsync("b");
        var token = await TokenAsync(a, await _api.CreateClientAsync(a));

        Assert.True((await _api.IntrospectAsync(a, token))["active"]!.GetValue<bool>());
        Assert.False((await _api.IntrospectAsync(b, token))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Admin_KeyOfOtherProject_Is401()
    {
        var a = await _api.CreateProjectAsync("a");
        var b = await _api.CreateProjectAsync("b");

        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(b, "/admin/clients"), a.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Api.AssertOAuth2Error(body, "request_unauthorized");
    }

    [Fact]
    public async Task Admin_NoKeyOrUnknownKey_Is401()
    {
        var a = await _api.CreateProjectAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Get, _api.At(a, "/admin/clients"), null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Get, _api.At(a, "/admin/clients"), "lk_pat_forged")).Status);
    }

    [Fact]
    public async Task Admin_WorkspaceKeyOfOwner_IsAccepted()
    {
        var a = await _api.CreateProjectAsync();

        var (status, _) = await _api.SendAsync(HttpMethod.Get, _api.At(a, "/admin/clients"), platform.WorkspaceKey);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Clients_OfOtherProject_AreInvisibleAndUnusable()
    {
        var a = await _api.CreateProjectAsync("a");
        var b = await _api.CreateProjectAsync("b");
        var client = await _api.CreateClientAsync(a);

        Assert.Equal(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Get, _api.At(b, $"/admin/clients/{client.Id}"), b.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Delete, _api.At(b, $"/admin/clients/{client.Id}"), b.ApiKey)).Status);
        var (_, list) = await _api.SendAsync(HttpMethod.Get, _api.At(b, "/admin/clients"), b.ApiKey);
        Assert.Empty(list!.AsArray());

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = b.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
        });
        Assert.Equal("invalid_client", Api.OAuth2Error(token));
    }

    [Fact]
    public async Task SameClientId_InTwoProjects_AreIndependent()
    {
        var a = await _api.CreateProjectAsync("a");
        var b = await _api.CreateProjectAsync("b");
        const string body = """{"client_id":"shared-id","grant_types":["client_credentials"],"scope":"read"}""";
        var inA = await _api.CreateClientAsync(a, body);
        var inB = await _api.CreateClientAsync(b, body);

        var crossed = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = b.Issuer + "/oauth2/token",
            ClientId = "shared-id",
            ClientSecret = inA.Secret,
        });
        Assert.Equal("invalid_client", Api.OAuth2Error(crossed));
        Assert.NotEqual(inA.Secret, inB.Secret);
    }

    [Fact]
    public async Task DeleteProject_HostAnswers404AndTokensStopWorking()
    {
        var a = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(a);
        var token = await TokenAsync(a, client);

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, platform.Api($"/projects/{a.Id}"), platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted);

        var (discovery, body) = await _api.SendAsync(HttpMethod.Get, _api.At(a, "/.well-known/openid-configuration"), null);
        Assert.Equal(HttpStatusCode.NotFound, discovery);
        Api.AssertOAuth2Error(body, "Not Found");
        var (introspect, _) = await _api.SendAsync(HttpMethod.Post, _api.At(a, "/admin/oauth2/introspect"), platform.WorkspaceKey,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(HttpStatusCode.NotFound, introspect);
    }

    async Task<string> TokenAsync(TestProject project, TestClient client)
    {
        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
        });
        Assert.False(token.IsError, token.Error);
        return token.AccessToken!;
    }
}
