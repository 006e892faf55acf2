using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Hydra's <c>oauth2/token_hook</c> and older <c>oauth2/refresh_token_hook</c>, with the hook a server on 127.0.0.1 (so
/// the project allows private ranges, <c>clients/http/disallow_private_ip_ranges: false</c>) and tokens from Duende's client.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TokenHookTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(platform);

    async Task PatchAsync(TestProject project, string operations)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json(operations));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    static string AllowPrivate(bool allow = true) =>
        $$"""{"op":"replace","path":"/services/oauth2/config/clients/http/disallow_private_ip_ranges","value":{{(allow ? "false" : "true")}}}""";

    /// <summary>A JSON Patch operation setting a hook with api-key auth.</summary>
    static string HookOperation(string key, string url, string @in, string name, string value) =>
        new JsonObject
        {
            ["op"] = "replace",
            ["path"] = $"/services/oauth2/config/oauth2/{key}",
            ["value"] = new JsonObject
            {
                ["url"] = url,
                ["auth"] = new JsonObject { ["type"] = "api_key", ["config"] = new JsonObject { ["in"] = @in, ["name"] = name, ["value"] = value } },
            },
        }.ToJsonString();

    static string TokenHook(HookServer hook) => HookOperation("token_hook", hook.Url, "header", "X-Hook-Key", "hook-secret");


    Task<TokenResponse> ClientCredentialsAsync(TestProject project, TestClient client) =>
        _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Scope = "read",
        });

    static string JwtClient => """{"client_name":"m2m","grant_types":["client_credentials"],"scope":"read write","access_token_strategy":"jwt"}""";

    [Fact]
    public async Task TokenHook_ClientCredentials_ItsClaimsAreInTheJwtAndInIntrospectionExt()
    {
        await using var hook = await HookServer.StartAsync();
        hook.Answer = (200, """{"session":{"access_token":{"tier":"gold","limits":{"rps":5}},"id_token":{}}}""");
        var project = await _api.CreateProjectAsync("token-hook");
        await PatchAsync(project, $"[{AllowPrivate()},{TokenHook(hook)}]");
        var jwtClient = await _api.CreateClientAsync(project, JwtClient);
        var opaqueClient = await _api.CreateClientAsync(project);

        var jwt = await ClientCredentialsAsync(project, jwtClient);
        var opaque = await ClientCredentialsAsync(project, opaqueClient);

        Assert.False(jwt.IsError, jwt.Error + " " + jwt.ErrorDescription);
        var claims = new JsonWebToken(jwt.AccessToken);
        Assert.Equal("gold", claims.GetClaim("tier").Value);
        Assert.Equal(5, JsonNode.Parse(claims.GetClaim("limits").Value)!["rps"]!.GetValue<int>());
        Assert.False(opaque.IsError, opaque.Error);
        var introspected = await _api.IntrospectAsync(project, opaque.AccessToken!);
        Assert.Equal("gold", introspected["ext"]!["tier"]!.GetValue<string>());
        Assert.Equal(5, introspected["ext"]!["limits"]!["rps"]!.GetValue<int>());

        Assert.Equal(2, hook.Calls.Count);
        var call = hook.Calls.First();
        Assert.Equal("hook-secret", call.ApiKeyHeader);
        var request = call.Body!["request"]!;
        Assert.Equal(jwtClient.Id, request["client_id"]!.GetValue<string>());
        Assert.Equal(["client_credentials"], request["grant_types"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["read"], request["granted_scopes"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["read"], request["requested_scopes"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Empty(request["payload"]!.AsObject());
        Assert.Equal(jwtClient.Id, call.Body["session"]!["id_token"]!["subject"]!.GetValue<string>());
        Assert.DoesNotContain(jwtClient.Secret, call.Body.ToJsonString());
    }

    [Fact]
    public async Task TokenHook_AuthorizationCodeThenRefresh_IsCalledForEachGrant_AndFillsBothTokens()
    {
        await using var hook = await HookServer.StartAsync();
        hook.Answer = (200, """{"session":{"access_token":{"role":"admin"},"id_token":{"email_verified":true}}}""");
        var app = await ExternalLoginApp.CreateAsync(platform, _api, "token-hook-code");
        await PatchAsync(app.Project, $"[{AllowPrivate()},{HookOperation("token_hook", hook.Url, "cookie", "hook_session", "cookie-secret")}]");
        var client = await _api.CreateClientAsync(app.Project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access"}
            """);

        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var callback = await app.AuthorizeAsync(browser, new RequestUrl(app.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: challenge, codeChallengeMethod: "S256"));
        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = System.Web.HttpUtility.ParseQueryString(callback.Headers.Location!.Query)["code"]!,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        var id = await Oidc.ValidIdTokenAsync(_api.Http, app.Project.Issuer, client.Id, tokens.IdentityToken);
        Assert.Equal("true", id.GetClaim("email_verified").Value);
        Assert.False(id.TryGetClaim("role", out _), "access-token claims stay out of the ID token");
        Assert.False(id.TryGetClaim("email", out _), "the hook's answer replaces the consent's claims, as in Hydra");
        Assert.Equal("admin", (await _api.IntrospectAsync(app.Project, tokens.AccessToken!))["ext"]!["role"]!.GetValue<string>());

        hook.Answer = (200, """{"session":{"access_token":{"role":"viewer"}}}""");
        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });

        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        Assert.Equal("viewer", (await _api.IntrospectAsync(app.Project, refreshed.AccessToken!))["ext"]!["role"]!.GetValue<string>());
        var calls = hook.Calls.ToArray();
        Assert.Equal(["authorization_code", "refresh_token"], calls.Select(c => c.Body!["request"]!["grant_types"]![0]!.GetValue<string>()));
        Assert.All(calls, c => Assert.Equal("hook_session=cookie-secret", c.Cookie));
        Assert.Equal("user-1", calls[0].Body!["session"]!["id_token"]!["subject"]!.GetValue<string>());
        Assert.Equal("user-1@example.com", calls[0].Body!["session"]!["id_token"]!["id_token_claims"]!["ext"]!["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(204, null, null, null)]
    [InlineData(403, null, "access_denied", "LK4600")]
    [InlineData(500, null, "server_error", "LK4601")]
    [InlineData(200, "not json", "server_error", "LK4601")]
    [InlineData(200, """{"session":{"access_token":"not an object"}}""", "server_error", "LK4601")]
    public async Task TokenHook_Answer_DecidesTheTokenRequest(int status, string? body, string? error, string? errorId)
    {
        await using var hook = await HookServer.StartAsync();
        hook.Answer = (status, body);
        var project = await _api.CreateProjectAsync("token-hook-answers");
        await PatchAsync(project, $"[{AllowPrivate()},{TokenHook(hook)}]");
        var client = await _api.CreateClientAsync(project, JwtClient);

        var token = await ClientCredentialsAsync(project, client);

        Assert.Single(hook.Calls);
        if (error is null)
        {
            Assert.False(token.IsError, token.Error);
            Assert.False(new JsonWebToken(token.AccessToken).TryGetClaim("tier", out _));
            return;
        }
        Assert.Equal(error, Api.OAuth2Error(token));
        Assert.Equal(errorId, Api.ErrorIdOf(token.HttpResponse));
        Assert.Contains("token hook", JsonNode.Parse(token.Raw!)!["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenHook_ApiKey_IsRedactedOnRead_AndKeptByPatchesThatLeaveIt()
    {
        await using var hook = await HookServer.StartAsync();
        var project = await _api.CreateProjectAsync("token-hook-redacted");
        var projectUrl = platform.Api($"/projects/{project.Id}");

        var (status, patched) = await _api.SendAsync(HttpMethod.Patch, projectUrl, platform.WorkspaceKey, Api.Json($"[{AllowPrivate()},{TokenHook(hook)}]"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("hook-secret", patched!.ToJsonString(), StringComparison.Ordinal);
        var (_, read) = await _api.SendAsync(HttpMethod.Get, projectUrl, platform.WorkspaceKey);
        Assert.DoesNotContain("hook-secret", read!.ToJsonString(), StringComparison.Ordinal);
        var readHook = read["services"]!["oauth2"]!["config"]!["oauth2"]!["token_hook"]!;
        Assert.Equal("**redacted**", readHook["auth"]!["config"]!["value"]!.GetValue<string>());
        Assert.Equal("X-Hook-Key", readHook["auth"]!["config"]!["name"]!.GetValue<string>());

        // Another field, then the hook written back as it was read (what the console's settings form does).
        await PatchAsync(project, """[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"2h"}]""");
        await PatchAsync(project, new JsonArray(new JsonObject
        {
            ["op"] = "replace",
            ["path"] = "/services/oauth2/config/oauth2/token_hook",
            ["value"] = readHook.DeepClone(),
        }).ToJsonString());
        var client = await _api.CreateClientAsync(project, JwtClient);

        var token = await ClientCredentialsAsync(project, client);

        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
        Assert.Equal("hook-secret", Assert.Single(hook.Calls).ApiKeyHeader);
    }

    [Fact]
    public async Task TokenHook_OnAPrivateAddress_IsRefusedUntilTheProjectAllowsPrivateRanges()
    {
        await using var hook = await HookServer.StartAsync();
        var project = await _api.CreateProjectAsync("token-hook-private");
        await PatchAsync(project, $"[{TokenHook(hook)}]");
        var client = await _api.CreateClientAsync(project);

        var refused = await ClientCredentialsAsync(project, client);
        Assert.Equal("server_error", Api.OAuth2Error(refused));
        Assert.Equal("LK4601", Api.ErrorIdOf(refused.HttpResponse));
        Assert.Empty(hook.Calls);

        await PatchAsync(project, $"[{AllowPrivate()}]");
        var allowed = await ClientCredentialsAsync(project, client);

        Assert.False(allowed.IsError, allowed.Error + " " + allowed.ErrorDescription);
        Assert.Single(hook.Calls);
    }

    [Fact]
    public async Task RefreshTokenHook_PlainUrl_IsCalledOnlyForTheRefreshGrant_WithHydrasBody()
    {
        await using var hook = await HookServer.StartAsync();
        hook.Answer = (200, """{"session":{"access_token":{"refreshed":"yes"}}}""");
        var app = await ExternalLoginApp.CreateAsync(platform, _api, "refresh-hook");
        await PatchAsync(app.Project, $$"""[{{AllowPrivate()}},{"op":"replace","path":"/services/oauth2/config/oauth2/refresh_token_hook","value":"{{hook.Url}}"}]""");
        var (_, read) = await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{app.Project.Id}"), platform.WorkspaceKey);
        Assert.Equal(hook.Url, read!["services"]!["oauth2"]!["config"]!["oauth2"]!["refresh_token_hook"]!["url"]!.GetValue<string>());
        var client = await _api.CreateClientAsync(app.Project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access"}
            """);
        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var callback = await app.AuthorizeAsync(browser, new RequestUrl(app.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: challenge, codeChallengeMethod: "S256"));
        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = System.Web.HttpUtility.ParseQueryString(callback.Headers.Location!.Query)["code"]!,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Empty(hook.Calls);

        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });

        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        var call = Assert.Single(hook.Calls);
        Assert.Equal("user-1", call.Body!["subject"]!.GetValue<string>());
        Assert.Equal(client.Id, call.Body["client_id"]!.GetValue<string>());
        Assert.Equal(["refresh_token"], call.Body["requester"]!["grant_types"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Contains("offline_access", call.Body["granted_scopes"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal("yes", (await _api.IntrospectAsync(app.Project, refreshed.AccessToken!))["ext"]!["refreshed"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"url":"not a url"}""")]
    [InlineData("""{"url":"https://hooks.example.com","auth":{"type":"basic","config":{"in":"header","name":"X","value":"v"}}}""")]
    [InlineData("""{"url":"https://hooks.example.com","auth":{"type":"api_key","config":{"in":"query","name":"X","value":"v"}}}""")]
    [InlineData("""{"url":"https://hooks.example.com","auth":{"type":"api_key","config":{"in":"header","name":"Bad Name","value":"v"}}}""")]
    [InlineData("""{"url":"https://hooks.example.com","extra":1}""")]
    [InlineData("42")]
    public async Task TokenHook_InvalidConfig_Is400AndChangesNothing(string value)
    {
        var project = await _api.CreateProjectAsync("token-hook-config");

        var (status, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json($$"""[{"op":"replace","path":"/services/oauth2/config/oauth2/token_hook","value":{{value}}}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (_, read) = await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey);
        Assert.Null(read!["services"]!["oauth2"]!["config"]!["oauth2"]!["token_hook"]);
    }
}
