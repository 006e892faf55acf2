using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Introspection answers from memory for a second (<c>IntrospectionCache</c>), yet a revoked token is inactive at
/// once on the replica that revoked it, by whichever way it was revoked, and within a second on every other replica.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IntrospectionCacheTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task Revoked_OnOneReplica_IsInactiveThereAtOnce_AndOnTheOtherWithinASecond()
    {
        var replica = await platform.StartOAuth2ReplicaAsync();
        using var other = platform.CreateClient(port: replica);
        var project = await _api.CreateProjectAsync("introspect-replicas");
        var client = await _api.CreateClientAsync(project);
        var token = await TokenAsync(project, client);
        // Both replicas have the entry in memory now.
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await ActiveAsync(_api.Http, project, token));
            Assert.True(await ActiveAsync(other, project, token));
        }

        var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Token = token,
        });
        Assert.Equal(HttpStatusCode.OK, revoked.HttpStatusCode);
        var since = Stopwatch.StartNew();

        Assert.False(await ActiveAsync(_api.Http, project, token));
        while (await ActiveAsync(other, project, token)) await Task.Delay(50);
        // One second is the contract; the rest is slack for a loaded test machine's scheduling.
        Assert.True(since.Elapsed < TimeSpan.FromSeconds(1.5), $"the other replica answered active for {since.Elapsed}");
    }

    [Fact]
    public async Task ClientTokensDeletedByTheAdminApi_AreInactiveAtOnce()
    {
        var project = await _api.CreateProjectAsync("introspect-delete");
        var client = await _api.CreateClientAsync(project);
        var token = await TokenAsync(project, client);
        Assert.True(await ActiveAsync(_api.Http, project, token));

        var (status, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, $"/admin/oauth2/tokens?client_id={client.Id}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, status);

        Assert.False(await ActiveAsync(_api.Http, project, token));
    }

    [Fact]
    public async Task TokensOfADeletedClient_AreInactiveAtOnce()
    {
        var project = await _api.CreateProjectAsync("introspect-client-gone");
        var client = await _api.CreateClientAsync(project);
        var token = await TokenAsync(project, client);
        Assert.True(await ActiveAsync(_api.Http, project, token));

        var (status, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, status);

        Assert.False(await ActiveAsync(_api.Http, project, token));
    }

    [Fact]
    public async Task ATokenInMemory_IsInactiveInAnotherProject()
    {
        var project = await _api.CreateProjectAsync("introspect-own");
        var stranger = await _api.CreateProjectAsync("introspect-stranger");
        var token = await TokenAsync(project, await _api.CreateClientAsync(project));
        Assert.True(await ActiveAsync(_api.Http, project, token));

        Assert.False((await _api.IntrospectAsync(stranger, token))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ATokenInMemory_RenamedToAnotherType_IsInactive()
    {
        var project = await _api.CreateProjectAsync("introspect-renamed");
        var token = await TokenAsync(project, await _api.CreateClientAsync(project));
        Assert.True(await ActiveAsync(_api.Http, project, token));

        // The signature covers only the random part: the answer in memory is for the lk_at_ form alone.
        Assert.False(await ActiveAsync(_api.Http, project, "lk_rt_" + token["lk_at_".Length..]));
        Assert.True(await ActiveAsync(_api.Http, project, token));
    }

    async Task<bool> ActiveAsync(HttpClient http, TestProject project, string token)
    {
        using var request = _api.Request(HttpMethod.Post, _api.At(project, "/admin/oauth2/introspect"), project.ApiKey,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["active"]!.GetValue<bool>();
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
