using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Hydra's client lifecycle through the gateway: per-grant token lifespans (<c>PUT /admin/clients/{id}/lifespans</c>)
/// applied by every grant, zero-downtime secret rotation (<c>POST|DELETE /admin/clients/{id}/secrets/rotate</c>),
/// and the client list's paging and filters, in <c>@ory/hydra-client</c>'s JSON; tokens from Duende's client.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ClientLifecycleTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(platform);

    Task<(HttpStatusCode Status, JsonNode? Body)> PutLifespansAsync(TestProject project, string clientId, string body) =>
        _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/clients/{clientId}/lifespans"), project.ApiKey, Api.Json(body));

    Task<TokenResponse> ClientCredentialsAsync(TestProject project, TestClient client) =>
        _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Scope = "read",
        });

    /// <summary>How long a token lives, from introspection (<c>expires_in</c> counts down from the moment it was issued).</summary>
    static long Lifetime(JsonNode introspection) => introspection["exp"]!.GetValue<long>() - introspection["iat"]!.GetValue<long>();

    [Fact]
    public async Task Lifespans_ClientCredentials_TokenLivesAsLongAsTheClientSays()
    {
        var project = await _api.CreateProjectAsync("lifespans-cc");
        var client = await _api.CreateClientAsync(project);
        var before = await ClientCredentialsAsync(project, client);
        Assert.InRange(before.ExpiresIn, 3590, 3600);

        var (status, body) = await PutLifespansAsync(project, client.Id, """{"client_credentials_grant_access_token_lifespan":"2h"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2h0m0s", body!["client_credentials_grant_access_token_lifespan"]!.GetValue<string>());
        Assert.Equal("m2m", body["client_name"]!.GetValue<string>());
        Assert.Null(body["client_secret"]);
        var (_, read) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey);
        Assert.Equal("2h0m0s", read!["client_credentials_grant_access_token_lifespan"]!.GetValue<string>());
        Assert.Null(read["authorization_code_grant_access_token_lifespan"]?.GetValue<string>());

        var token = await ClientCredentialsAsync(project, client);
        Assert.False(token.IsError, token.Error);
        Assert.InRange(token.ExpiresIn, 7190, 7200);
        Assert.Equal(7200, Lifetime(await _api.IntrospectAsync(project, token.AccessToken!)));
    }

    [Fact]
    public async Task Lifespans_AuthorizationCodeThenRefresh_EachGrantUsesItsOwn()
    {
        var app = await ExternalLoginApp.CreateAsync(platform, _api, "lifespans-code");
        var client = await _api.CreateClientAsync(app.Project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access"}
            """);
        var (status, _) = await PutLifespansAsync(app.Project, client.Id, """
            {"authorization_code_grant_access_token_lifespan":"5m","authorization_code_grant_id_token_lifespan":"6m",
             "authorization_code_grant_refresh_token_lifespan":"7m","refresh_token_grant_access_token_lifespan":"8m",
             "refresh_token_grant_id_token_lifespan":"9m","refresh_token_grant_refresh_token_lifespan":"10m"}
            """);
        Assert.Equal(HttpStatusCode.OK, status);

        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var callback = await app.AuthorizeAsync(browser, new RequestUrl(app.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: challenge, codeChallengeMethod: "S256"));
        var code = System.Web.HttpUtility.ParseQueryString(callback.Headers.Location!.Query)["code"]!;
        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);

        Assert.Equal(300, Lifetime(await _api.IntrospectAsync(app.Project, tokens.AccessToken!)));
        Assert.Equal(360, IdTokenLifetime(tokens.IdentityToken!));
        Assert.Equal(420, Lifetime(await _api.IntrospectAsync(app.Project, tokens.RefreshToken!)));

        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        Assert.InRange(refreshed.ExpiresIn, 470, 480);
        Assert.Equal(480, Lifetime(await _api.IntrospectAsync(app.Project, refreshed.AccessToken!)));
        Assert.Equal(540, IdTokenLifetime(refreshed.IdentityToken!));
        Assert.Equal(600, Lifetime(await _api.IntrospectAsync(app.Project, refreshed.RefreshToken!)));

        static long IdTokenLifetime(string idToken)
        {
            var jwt = new JsonWebToken(idToken);
            return (long)(jwt.ValidTo - jwt.IssuedAt).TotalSeconds;
        }
    }

    [Theory]
    [InlineData("\"1d\"", "LK1550")]
    [InlineData("\"-1h\"", "LK1550")]
    [InlineData("\"0s\"", "LK1550")]
    [InlineData("3600", "LK1550")]
    [InlineData("\"87601h\"", "LK1551")]
    public async Task Lifespans_NotAPositiveBoundedDuration_IsInvalidClientMetadata(string value, string id)
    {
        var project = await _api.CreateProjectAsync("lifespans-bad");
        var client = await _api.CreateClientAsync(project);

        var (status, body, errorId) = await _api.SendForErrorAsync(HttpMethod.Put, _api.At(project, $"/admin/clients/{client.Id}/lifespans"), project.ApiKey,
            Api.Json($$"""{"refresh_token_grant_access_token_lifespan":{{value}}}"""));
        var (createStatus, _, createId) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json($$"""{"grant_types":["client_credentials"],"client_credentials_grant_access_token_lifespan":{{value}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(body, "invalid_client_metadata");
        Assert.Equal(id, errorId);
        Assert.Equal((HttpStatusCode.BadRequest, id), (createStatus, createId));
        var (missing, _, missingId) = await _api.SendForErrorAsync(HttpMethod.Put, _api.At(project, "/admin/clients/nobody/lifespans"), project.ApiKey, Api.Json("{}"));
        Assert.Equal((HttpStatusCode.NotFound, "LK1503"), (missing, missingId));
    }

    [Fact]
    public async Task RotateSecret_OldSecretsKeepWorkingUntilDropped_AtMostFive()
    {
        var project = await _api.CreateProjectAsync("rotate");
        var original = await _api.CreateClientAsync(project);
        var secrets = new List<string> { original.Secret };

        for (var i = 0; i < 6; i++)
        {
            var (status, body) = await _api.SendAsync(HttpMethod.Post, _api.At(project, $"/admin/clients/{original.Id}/secrets/rotate"), project.ApiKey);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(original.Id, body!["client_id"]!.GetValue<string>());
            secrets.Add(body["client_secret"]!.GetValue<string>());
        }

        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        Assert.Equal("invalid_client", Api.OAuth2Error(await ClientCredentialsAsync(project, original)));
        foreach (var secret in secrets.Skip(1))
            Assert.False((await ClientCredentialsAsync(project, original with { Secret = secret })).IsError, "the current secret and the five rotated before it authenticate");
        var (_, read) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{original.Id}"), project.ApiKey);
        Assert.Null(read!["client_secret"]);

        var (dropped, droppedBody) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, $"/admin/clients/{original.Id}/secrets/rotate"), project.ApiKey);

        Assert.Equal(HttpStatusCode.OK, dropped);
        Assert.Equal(original.Id, droppedBody!["client_id"]!.GetValue<string>());
        Assert.Null(droppedBody["client_secret"]);
        Assert.False((await ClientCredentialsAsync(project, original with { Secret = secrets[^1] })).IsError);
        Assert.Equal("invalid_client", Api.OAuth2Error(await ClientCredentialsAsync(project, original with { Secret = secrets[^2] })));
    }

    [Fact]
    public async Task RotateSecret_ThenSecretSetByPut_EndsTheRotatedOnes()
    {
        var project = await _api.CreateProjectAsync("rotate-put");
        var client = await _api.CreateClientAsync(project);
        var (_, rotated) = await _api.SendAsync(HttpMethod.Post, _api.At(project, $"/admin/clients/{client.Id}/secrets/rotate"), project.ApiKey);
        Assert.False((await ClientCredentialsAsync(project, client)).IsError, "the rotated secret still works");

        var (status, _) = await _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey, Api.Json(
            """{"client_name":"m2m","grant_types":["client_credentials"],"scope":"read write","client_secret":"a-chosen-secret"}"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("invalid_client", Api.OAuth2Error(await ClientCredentialsAsync(project, client)));
        Assert.Equal("invalid_client", Api.OAuth2Error(await ClientCredentialsAsync(project, client with { Secret = rotated!["client_secret"]!.GetValue<string>() })));
        Assert.False((await ClientCredentialsAsync(project, client with { Secret = "a-chosen-secret" })).IsError);
    }

    [Fact]
    public async Task RotateSecret_PublicClient_IsRefusedAsHydraDoes()
    {
        var project = await _api.CreateProjectAsync("rotate-public");
        var client = await _api.CreateClientAsync(project, $$"""
            {"grant_types":["authorization_code"],"token_endpoint_auth_method":"none","redirect_uris":["{{RedirectUri}}"]}
            """);

        var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, $"/admin/clients/{client.Id}/secrets/rotate"), project.ApiKey);
        var (dropStatus, _, dropId) = await _api.SendForErrorAsync(HttpMethod.Delete, _api.At(project, $"/admin/clients/{client.Id}/secrets/rotate"), project.ApiKey);
        var (missing, _, missingId) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients/nobody/secrets/rotate"), project.ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"none\"", Api.AssertOAuth2Error(body, "invalid_request"));
        Assert.Equal("LK1552", id);
        Assert.Equal((HttpStatusCode.BadRequest, "LK1552"), (dropStatus, dropId));
        Assert.Equal((HttpStatusCode.NotFound, "LK1503"), (missing, missingId));
    }

    [Fact]
    public async Task List_FilteredByOwnerAndPaged_LinkHeadersKeepTheFilter()
    {
        var project = await _api.CreateProjectAsync("list-clients");
        foreach (var (name, owner) in new[] { ("a", "team-1"), ("b", "team-1"), ("c", "team-2"), ("a", "team-1") })
            await _api.CreateClientAsync(project, $$"""{"client_name":"{{name}}","owner":"{{owner}}","grant_types":["client_credentials"]}""");

        using var first = await _api.Http.SendAsync(_api.Request(HttpMethod.Get, _api.At(project, "/admin/clients?owner=team-1&page_size=2"), project.ApiKey));
        var page1 = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray();
        var links = first.Headers.GetValues("Link").Single();
        var next = System.Text.RegularExpressions.Regex.Match(links, "<([^>]+)>; rel=\"next\"").Groups[1].Value;
        using var second = await _api.Http.SendAsync(_api.Request(HttpMethod.Get, new Uri(project.Issuer + next), project.ApiKey));
        var page2 = JsonNode.Parse(await second.Content.ReadAsStringAsync())!.AsArray();
        var (_, byName) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients?client_name=a"), project.ApiKey);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, page1.Count);
        Assert.Contains("rel=\"first\"", links);
        Assert.Contains("owner=team-1", next);
        Assert.Contains("page_size=2", next);
        Assert.Equal("3", first.Headers.GetValues("X-Total-Count").Single());
        Assert.Single(page2);
        Assert.All(page1.Concat(page2), c => Assert.Equal("team-1", c!["owner"]!.GetValue<string>()));
        Assert.DoesNotContain("rel=\"next\"", second.Headers.GetValues("Link").Single());
        Assert.Equal(2, byName!.AsArray().Count);
        Assert.All(byName.AsArray(), c => Assert.Equal("a", c!["client_name"]!.GetValue<string>()));
    }
}
