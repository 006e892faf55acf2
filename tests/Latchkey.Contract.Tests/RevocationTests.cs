using System.Net;
using Duende.IdentityModel.Client;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// RFC 7009 §2.1: only the client a token was issued to can revoke it. Another client, public or
/// confidential, gets 200 (as fosite answers) and the token stays valid. And an opaque token is only what
/// its prefix says: the signature covers the random part, so a renamed prefix must not pass.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RevocationTests(Latchkey.Testing.PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task AnotherClient_PublicOrConfidential_CannotRevokeAToken()
    {
        var project = await _api.CreateProjectAsync("revoke");
        var owner = await _api.CreateClientAsync(project);
        var confidential = await _api.CreateClientAsync(project);
        var publicClient = await _api.CreateClientAsync(project, """
            {"client_name":"spa","grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["http://127.0.0.1:5555/cb"],"token_endpoint_auth_method":"none"}
            """);
        var token = await TokenAsync(project, owner);

        var byPublic = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = publicClient.Id,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Token = token,
        });
        var byConfidential = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = confidential.Id,
            ClientSecret = confidential.Secret,
            Token = token,
        });

        Assert.Equal(HttpStatusCode.OK, byPublic.HttpStatusCode);
        Assert.Equal(HttpStatusCode.OK, byConfidential.HttpStatusCode);
        Assert.True((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());

        var byOwner = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = owner.Id,
            ClientSecret = owner.Secret,
            Token = token,
        });
        Assert.Equal(HttpStatusCode.OK, byOwner.HttpStatusCode);
        Assert.False((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("lk_zz_")]
    [InlineData("lk_rt_")]
    [InlineData("lk_ac_")]
    [InlineData("lk_tk_")]
    public async Task AccessToken_WithAnotherPrefix_IsInactive(string prefix)
    {
        var project = await _api.CreateProjectAsync("prefix");
        var client = await _api.CreateClientAsync(project);
        var token = await TokenAsync(project, client);
        Assert.StartsWith("lk_at_", token);

        var renamed = prefix + token["lk_at_".Length..];

        Assert.False((await _api.IntrospectAsync(project, renamed))["active"]!.GetValue<bool>());
        using var userinfo = await _api.Http.SendAsync(_api.Request(HttpMethod.Get, _api.At(project, "/userinfo"), renamed));
        Assert.Equal(HttpStatusCode.Unauthorized, userinfo.StatusCode);
        Assert.True((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());
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
