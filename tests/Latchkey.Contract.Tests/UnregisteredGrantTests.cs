using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.OAuth2.Clients;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A grant the client is not registered for is <c>unauthorized_client</c>, whatever the grant's own
/// parameters say (missing, bogus or valid-looking), as fosite checks the client's grant types first.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class UnregisteredGrantTests(Latchkey.Testing.PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(platform);

    [Theory]
    [InlineData("grant_type=refresh_token&refresh_token=lk_rt_bogus.bogus")]
    [InlineData("grant_type=refresh_token")]
    [InlineData("grant_type=authorization_code&code=lk_ac_bogus.bogus&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback")]
    [InlineData("grant_type=authorization_code")]
    public async Task ClientCredentialsOnlyClient_OtherGrants_AreUnauthorizedClient(string form)
    {
        var project = await _api.CreateProjectAsync("grants");
        var client = await _api.CreateClientAsync(project);

        var token = await PostAsync(project, client, form);

        Assert.Equal(HttpStatusCode.BadRequest, token.HttpStatusCode);
        Assert.Equal("unauthorized_client", Api.OAuth2Error(token));
    }

    [Theory]
    [InlineData("grant_type=client_credentials")]
    [InlineData("grant_type=refresh_token&refresh_token=lk_rt_bogus.bogus")]
    public async Task CodeOnlyClient_OtherGrants_AreUnauthorizedClient(string form)
    {
        var project = await _api.CreateProjectAsync("grants");
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"]}
            """);

        var token = await PostAsync(project, client, form);

        Assert.Equal("unauthorized_client", Api.OAuth2Error(token));
    }

    [Theory]
    [InlineData("grant_type=refresh_token&refresh_token=lk_rt_bogus.bogus", "invalid_client")]
    [InlineData("grant_type=authorization_code&code=lk_ac_bogus.bogus&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback", "invalid_client")]
    [InlineData("grant_type=refresh_token", "invalid_request")]
    public async Task WrongSecret_UnregisteredGrant_AnswersAsForARegisteredGrant(string form, string error)
    {
        var project = await _api.CreateProjectAsync("grants");
        var client = await _api.CreateClientAsync(project);
        var registered = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"]}
            """);

        var unregistered = await PostAsync(project, client with { Secret = "wrong-secret" }, form);
        var asRegistered = await PostAsync(project, registered with { Secret = "wrong-secret" }, form);

        // Who cannot authenticate as the client learns nothing of its grants: the same answer either way.
        Assert.Equal(error, Api.OAuth2Error(unregistered));
        Assert.Equal(Api.OAuth2Error(asRegistered), Api.OAuth2Error(unregistered));
        Assert.Null(Api.ErrorIdOf(unregistered.HttpResponse));
    }

    [Fact]
    public async Task RightSecret_UnregisteredGrant_NamesTheEntry()
    {
        var project = await _api.CreateProjectAsync("grants");
        var client = await _api.CreateClientAsync(project);

        var token = await PostAsync(project, client, "grant_type=refresh_token");

        Assert.Equal("unauthorized_client", Api.OAuth2Error(token));
        Assert.Equal(ClientErrors.UnregisteredGrant("refresh_token").Id, Api.ErrorIdOf(token.HttpResponse));
    }

    [Fact]
    public async Task RegisteredGrant_StillChecksItsParameters()
    {
        var project = await _api.CreateProjectAsync("grants");
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"]}
            """);

        Assert.Equal("invalid_grant", Api.OAuth2Error(await PostAsync(project, client, "grant_type=refresh_token&refresh_token=lk_rt_bogus.bogus")));
        Assert.Equal("invalid_request", Api.OAuth2Error(await PostAsync(project, client, "grant_type=refresh_token")));
    }

    Task<TokenResponse> PostAsync(TestProject project, TestClient client, string form)
    {
        var parameters = new Parameters();
        foreach (var pair in form.Split('&'))
        {
            var kv = pair.Split('=', 2);
            if (kv[0] != "grant_type") parameters.Add(kv[0], Uri.UnescapeDataString(kv[1]));
        }
        return _api.Http.RequestTokenAsync(new TokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            GrantType = form.Split('&')[0]["grant_type=".Length..],
            Parameters = parameters,
        });
    }
}
