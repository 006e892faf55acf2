using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.OAuth2.Clients;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Hydra's per-client <c>access_token_strategy</c>: a client's <c>jwt</c> or <c>opaque</c> wins over the project's
/// <c>strategies.access_token</c>, and whichever form a token took, the project introspects and revokes it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessTokenStrategyTests(PlatformFixture platform)
{
    const string Audience = "https://api.example.com";
    const string AccessTokenSet = "hydra.jwt.access-token";
    readonly Api _api = new(platform);

    static string ClientBody(string? strategy) => $$"""
        {"client_name":"m2m","grant_types":["client_credentials"],"scope":"read write","audience":["{{Audience}}"]{{(strategy is null ? "" : $",\"access_token_strategy\":\"{strategy}\"")}}}
        """;

    [Fact]
    public async Task ClientCredentials_JwtClientInOpaqueProject_IssuesJwtThatVerifiesIntrospectsAndRevokes()
    {
        var project = await _api.CreateProjectAsync("opaque-project");
        var jwtClient = await _api.CreateClientAsync(project, ClientBody("jwt"));
        var defaultClient = await _api.CreateClientAsync(project, ClientBody(null));

        var token = await TokenAsync(project, jwtClient);

        Assert.StartsWith("lk_at_", await TokenAsync(project, defaultClient));
        var jwt = new JsonWebToken(token);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal((await KidsAsync(project, AccessTokenSet))[0], jwt.Kid);
        var verified = await VerifyAsync(project, token);
        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.Equal(jwtClient.Id, jwt.GetClaim("client_id").Value);
        Assert.Equal("read", jwt.GetClaim("scope").Value);

        var active = await _api.IntrospectAsync(project, token);
        Assert.True(active["active"]!.GetValue<bool>());
        Assert.Equal(jwtClient.Id, active["client_id"]!.GetValue<string>());
        Assert.Equal("access_token", active["token_use"]!.GetValue<string>());

        var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = jwtClient.Id,
            ClientSecret = jwtClient.Secret,
            Token = token,
        });
        Assert.False(revoked.IsError, revoked.Error);
        Assert.False((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ClientCredentials_OpaqueClientInJwtProject_IssuesOpaqueTokenThatIntrospectsAndRevokes()
    {
        var project = await JwtProjectAsync();
        var opaqueClient = await _api.CreateClientAsync(project, ClientBody("opaque"));
        var defaultClient = await _api.CreateClientAsync(project, ClientBody(null));
        var projectJwt = await JwtOnceProjectSwitchedAsync(project, defaultClient);

        var token = await TokenAsync(project, opaqueClient);

        Assert.StartsWith("lk_at_", token);
        Assert.True((await VerifyAsync(project, projectJwt)).IsValid, "the project's own strategy still applies to clients without one");
        var active = await _api.IntrospectAsync(project, token);
        Assert.True(active["active"]!.GetValue<bool>());
        Assert.Equal(opaqueClient.Id, active["client_id"]!.GetValue<string>());
        Assert.Equal("read", active["scope"]!.GetValue<string>());
        Assert.True((await _api.IntrospectAsync(project, projectJwt))["active"]!.GetValue<bool>());

        var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = opaqueClient.Id,
            ClientSecret = opaqueClient.Secret,
            Token = token,
        });
        Assert.False(revoked.IsError, revoked.Error);
        Assert.False((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("JWT")]
    public async Task CreateClient_UnknownAccessTokenStrategy_Is400InvalidClientMetadata(string strategy)
    {
        var project = await _api.CreateProjectAsync();

        var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(ClientBody(strategy)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ClientErrors.UnknownAccessTokenStrategy(strategy).Description, Api.AssertOAuth2Error(body, "invalid_client_metadata"));
        Assert.Equal(ClientErrors.UnknownAccessTokenStrategy(strategy).Id, id);
    }

    [Fact]
    public async Task PatchClient_UnknownAccessTokenStrategy_Is400AndKeepsTheClient()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project, ClientBody("jwt"));

        var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Patch, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey,
            Api.Json("""[{"op":"replace","path":"/access_token_strategy","value":"hmac"}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(body, "invalid_client_metadata");
        Assert.Equal(ClientErrors.UnknownAccessTokenStrategy("hmac").Id, id);
        var (_, stored) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey);
        Assert.Equal("jwt", stored!["access_token_strategy"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateClient_EmptyAccessTokenStrategy_UsesTheProjectStrategy()
    {
        var project = await _api.CreateProjectAsync();

        var client = await _api.CreateClientAsync(project, ClientBody(""));

        Assert.StartsWith("lk_at_", await TokenAsync(project, client));
    }

    async Task<string> TokenAsync(TestProject project, TestClient client)
    {
        var response = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Scope = "read",
            Parameters = { { "audience", Audience } },
        });
        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
        return response.AccessToken!;
    }

    async Task<TestProject> JwtProjectAsync()
    {
        var project = await _api.CreateProjectAsync("jwt-project");
        var (status, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/strategies/access_token","value":"jwt"}]"""));
        Assert.Equal(HttpStatusCode.OK, status);
        return project;
    }

    /// <summary>
    /// A JWT from a client without a strategy of its own. The control plane announces a config change over
    /// Redis, so the oauth2 service may answer one or two requests with the old strategy first.
    /// </summary>
    async Task<string> JwtOnceProjectSwitchedAsync(TestProject project, TestClient client)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(project, client);
            if (!token.StartsWith("lk_at_", StringComparison.Ordinal)) return token;
            Assert.True(attempt < 50, "The project still issues opaque access tokens after switching to jwt.");
            await Task.Delay(50);
        }
    }

    async Task<List<string>> KidsAsync(TestProject project, string set)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/keys/{set}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
    }

    /// <summary>Verifies a JWT access token as a resource server would: against the JWKS the project publishes.</summary>
    async Task<TokenValidationResult> VerifyAsync(TestProject project, string token)
    {
        var jwks = new JsonWebKeySet(await _api.Http.GetStringAsync(_api.At(project, "/.well-known/jwks.json")));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = project.Issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
        });
    }
}
