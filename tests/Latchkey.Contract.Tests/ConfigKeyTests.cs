using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Web;
using Duende.IdentityModel.Client;
using Latchkey.Tenancy;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Every key of a project's <c>services.oauth2.config</c> must change behaviour: a key that is validated and
/// stored but read by nothing (as <c>oauth2.pkce.enforced_for_public_clients</c> was) is a promise we break.
/// <see cref="Proofs"/> names, for each key, a test that sets it and observes the difference;
/// <see cref="EveryConfigKey_HasATestThatProvesItChangesBehaviour"/> fails when a key is added without one.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ConfigKeyTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string LoginApp = "http://login.example.test/login";
    const string ConsentApp = "http://login.example.test/consent";
    static readonly string[] Granted = ["openid", "offline_access"];
    readonly Api _api = new(platform);

    static readonly Dictionary<string, (Type Class, string Test)> Proofs = new()
    {
        ["urls/login"] = (typeof(AuthorizationCodeFlowTests), nameof(AuthorizationCodeFlowTests.AuthorizationCode_ExternalLoginAndConsentApp_IssuesVerifiableTokens)),
        ["urls/consent"] = (typeof(AuthorizationCodeFlowTests), nameof(AuthorizationCodeFlowTests.AuthorizationCode_ExternalLoginAndConsentApp_IssuesVerifiableTokens)),
        ["urls/logout"] = (typeof(SessionsTests), nameof(SessionsTests.Logout_ThroughTheLogoutApp_EndsTheSession_AndReturnsToTheClient)),
        ["urls/error"] = (typeof(ConfigKeyTests), nameof(UrlsError_ReceivesAuthorizationErrorsThatCannotGoToAClient)),
        ["urls/post_logout_redirect"] = (typeof(ConfigKeyTests), nameof(UrlsPostLogoutRedirect_IsWhereALogoutWithoutAClientEnds)),
        ["ttl/access_token"] = (typeof(BadInputTests), nameof(BadInputTests.PatchProject_AccessTokenTtl_AppliesToNewTokens)),
        ["ttl/refresh_token"] = (typeof(ConfigKeyTests), nameof(TtlRefreshTokenAndIdToken_SetTheirLifetimes)),
        ["ttl/id_token"] = (typeof(ConfigKeyTests), nameof(TtlRefreshTokenAndIdToken_SetTheirLifetimes)),
        ["ttl/auth_code"] = (typeof(ConfigKeyTests), nameof(TtlAuthCode_ExpiresTheCode)),
        ["ttl/login_consent_request"] = (typeof(ConfigKeyTests), nameof(TtlLoginConsentRequest_ExpiresTheChallenge)),
        ["ttl/authentication_session"] = (typeof(ConfigKeyTests), nameof(TtlAuthenticationSession_IsARememberedLoginsLifetime)),
        ["strategies/access_token"] = (typeof(AccessTokenStrategyTests), nameof(AccessTokenStrategyTests.ClientCredentials_OpaqueClientInJwtProject_IssuesOpaqueTokenThatIntrospectsAndRevokes)),
        ["oauth2/pkce/enforced"] = (typeof(AuthorizationCodeFlowTests), nameof(AuthorizationCodeFlowTests.Authorize_PkceEnforcedWithoutChallenge_IsRejected)),
        ["urls/device/verification"] = (typeof(DeviceFlowTests), nameof(DeviceFlowTests.DeviceFlow_ExternalApps_PendingThenTokens)),
        ["urls/device/success"] = (typeof(DeviceFlowTests), nameof(DeviceFlowTests.DeviceFlow_ExternalApps_PendingThenTokens)),
        ["ttl/vc_nonce"] = (typeof(VerifiableCredentialsTests), nameof(VerifiableCredentialsTests.TtlVcNonce_IsTheNoncesLifetime)),
        ["ttl/device_user_code"] = (typeof(DeviceFlowTests), nameof(DeviceFlowTests.DeviceFlow_TtlDeviceUserCode_ExpiresTheDeviceCode)),
        ["oauth2/device_authorization/token_polling_interval"] = (typeof(DeviceFlowTests), nameof(DeviceFlowTests.DeviceFlow_TokenPollingInterval_IsTheIntervalSent)),
        ["oauth2/grant/jwt/max_ttl"] = (typeof(JwtBearerGrantTests), nameof(JwtBearerGrantTests.GrantJwtConfig_MaxTtlJtiOptionalIatOptional_ChangeWhichAssertionsAreAccepted)),
        ["oauth2/grant/jwt/jti_optional"] = (typeof(JwtBearerGrantTests), nameof(JwtBearerGrantTests.GrantJwtConfig_MaxTtlJtiOptionalIatOptional_ChangeWhichAssertionsAreAccepted)),
        ["oauth2/grant/jwt/iat_optional"] = (typeof(JwtBearerGrantTests), nameof(JwtBearerGrantTests.GrantJwtConfig_MaxTtlJtiOptionalIatOptional_ChangeWhichAssertionsAreAccepted)),
        ["oauth2/pkce/enforced_for_public_clients"] = (typeof(PkceTests), nameof(PkceTests.PublicClient_WithoutCodeChallenge_IsRefused_UnlessTheProjectTurnsItOff)),
        ["oauth2/token_hook"] = (typeof(TokenHookTests), nameof(TokenHookTests.TokenHook_ClientCredentials_ItsClaimsAreInTheJwtAndInIntrospectionExt)),
        ["oauth2/refresh_token_hook"] = (typeof(TokenHookTests), nameof(TokenHookTests.RefreshTokenHook_PlainUrl_IsCalledOnlyForTheRefreshGrant_WithHydrasBody)),
        ["clients/http/disallow_private_ip_ranges"] = (typeof(TokenHookTests), nameof(TokenHookTests.TokenHook_OnAPrivateAddress_IsRefusedUntilTheProjectAllowsPrivateRanges)),
        ["oidc/dynamic_client_registration/enabled"] = (typeof(DynamicClientRegistrationTests), nameof(DynamicClientRegistrationTests.Register_IsNotFound_UntilTheProjectEnablesIt)),
        ["oidc/dynamic_client_registration/default_scope"] = (typeof(DynamicClientRegistrationTests), nameof(DynamicClientRegistrationTests.Register_WithoutScope_GetsTheProjectsDefaultScope)),
    };

    /// <summary>The leaf keys of <see cref="OAuth2Config"/> as the API names them (snake_case, or the property's JSON name).</summary>
    static IEnumerable<string> Keys(Type type, string prefix = "")
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            var kind = property.PropertyType;
            // A hook (a URL or an object read by its own converter) and a list are one key each.
            var leaf = kind == typeof(string) || kind.GetCustomAttribute<JsonConverterAttribute>() is not null || typeof(System.Collections.IEnumerable).IsAssignableFrom(kind);
            if (kind.IsClass && !leaf) foreach (var key in Keys(kind, prefix + name + "/")) yield return key;
            else yield return prefix + name;
        }
    }

    [Fact]
    public void EveryConfigKey_HasATestThatProvesItChangesBehaviour()
    {
        var keys = Keys(typeof(OAuth2Config)).Order().ToList();
        Assert.Contains("oauth2/pkce/enforced_for_public_clients", keys);
        var missing = keys.Except(Proofs.Keys).ToList();
        Assert.True(missing.Count == 0, "Config keys without a test that proves they change behaviour: " + string.Join(", ", missing));
        Assert.Empty(Proofs.Keys.Except(keys));
        foreach (var (key, (type, test)) in Proofs)
        {
            var method = type.GetMethod(test);
            Assert.True(method?.GetCustomAttribute<FactAttribute>() is not null, $"{key}: {type.Name}.{test} is not a test");
        }
    }

    async Task<TestProject> ProjectAsync(string patch)
    {
        var project = await _api.CreateProjectAsync("config-keys");
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json(patch));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return project;
    }

    Task<TestProject> ExternalAppsProjectAsync(string more) => ProjectAsync($$"""
        [{"op":"replace","path":"/services/oauth2/config/urls/login","value":"{{LoginApp}}"},
         {"op":"replace","path":"/services/oauth2/config/urls/consent","value":"{{ConsentApp}}"}{{more}}]
        """);

    Task<TestClient> WebClientAsync(TestProject project) => _api.CreateClientAsync(project, $$"""
        {"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access"}
        """);

    static string AuthorizeUrl(TestProject project, TestClient client, Pkce pkce) =>
        new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(clientId: client.Id, responseType: "code", scope: "openid offline_access",
            redirectUri: RedirectUri, state: "state-1", nonce: "nonce-1", codeChallenge: pkce.Challenge, codeChallengeMethod: "S256");

    static string Parameter(Uri location, string name) => HttpUtility.ParseQueryString(location.Query)[name]!;

    async Task<Uri> FollowAsync(HttpClient browser, string url)
    {
        using var response = await browser.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    async Task<string> AcceptLoginAsync(TestProject project, string challenge, object body)
    {
        var (status, redirect) = await _api.SendAsync(HttpMethod.Put,
            _api.At(project, $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(challenge)}"), project.ApiKey, JsonContent.Create(body));
        Assert.True(status == HttpStatusCode.OK, redirect?.ToJsonString());
        return redirect!["redirect_to"]!.GetValue<string>();
    }

    /// <summary>Login and consent through the admin API, as the project's external apps; returns the code.</summary>
    async Task<string> CodeAsync(HttpClient browser, TestProject project, TestClient client, Pkce pkce)
    {
        var login = Parameter(await FollowAsync(browser, AuthorizeUrl(project, client, pkce)), "login_challenge");
        var consent = Parameter(await FollowAsync(browser, await AcceptLoginAsync(project, login, new { subject = "config-user" })), "consent_challenge");
        var (status, redirect) = await _api.SendAsync(HttpMethod.Put,
            _api.At(project, $"/admin/oauth2/auth/requests/consent/accept?consent_challenge={Uri.EscapeDataString(consent)}"), project.ApiKey,
            JsonContent.Create(new { grant_scope = Granted }));
        Assert.Equal(HttpStatusCode.OK, status);
        return Parameter(await FollowAsync(browser, redirect!["redirect_to"]!.GetValue<string>()), "code");
    }

    Task<TokenResponse> ExchangeAsync(TestProject project, TestClient client, string code, Pkce pkce) =>
        _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = pkce.Verifier,
        });

    [Fact]
    public async Task UrlsError_ReceivesAuthorizationErrorsThatCannotGoToAClient()
    {
        var project = await ProjectAsync("""[{"op":"replace","path":"/services/oauth2/config/urls/error","value":"https://errors.example/oauth?from=latchkey"}]""");
        using var browser = platform.CreateClient();

        using var response = await browser.GetAsync(project.Issuer + "/oauth2/auth?client_id=no-such-client&response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope=openid");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("https://errors.example/oauth?from=latchkey&error=", location.ToString());
        Assert.False(string.IsNullOrEmpty(Parameter(location, "error_description")));
    }

    [Fact]
    public async Task UrlsPostLogoutRedirect_IsWhereALogoutWithoutAClientEnds()
    {
        var project = await ProjectAsync("""[{"op":"replace","path":"/services/oauth2/config/urls/post_logout_redirect","value":"https://app.example/signed-out"}]""");
        using var browser = platform.CreateClient();
        Assert.Equal("https://app.example/signed-out", (await FollowAsync(browser, project.Issuer + "/oauth2/sessions/logout")).ToString());
    }

    [Fact]
    public async Task TtlRefreshTokenAndIdToken_SetTheirLifetimes()
    {
        var project = await ExternalAppsProjectAsync("""
            ,{"op":"replace","path":"/services/oauth2/config/ttl/refresh_token","value":"2h"},
             {"op":"replace","path":"/services/oauth2/config/ttl/id_token","value":"7m"}
            """);
        var client = await WebClientAsync(project);
        using var browser = platform.CreateClient();
        var pkce = Pkce.New();
        var tokens = await ExchangeAsync(project, client, await CodeAsync(browser, project, client, pkce), pkce);
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);

        var id = new JsonWebToken(tokens.IdentityToken);
        Assert.Equal(TimeSpan.FromMinutes(7), id.ValidTo - id.IssuedAt);
        var refresh = await _api.IntrospectAsync(project, tokens.RefreshToken!);
        Assert.True(refresh["active"]!.GetValue<bool>());
        Assert.Equal(7200, refresh["exp"]!.GetValue<long>() - refresh["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task TtlAuthCode_ExpiresTheCode()
    {
        var project = await ExternalAppsProjectAsync("""
            ,{"op":"replace","path":"/services/oauth2/config/ttl/auth_code","value":"1s"}
            """);
        var client = await WebClientAsync(project);
        using var browser = platform.CreateClient();
        var pkce = Pkce.New();
        var code = await CodeAsync(browser, project, client, pkce);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var tokens = await ExchangeAsync(project, client, code, pkce);
        Assert.True(tokens.IsError);
        Assert.Equal("invalid_grant", Api.OAuth2Error(tokens));
    }

    [Fact]
    public async Task TtlLoginConsentRequest_ExpiresTheChallenge()
    {
        var project = await ExternalAppsProjectAsync("""
            ,{"op":"replace","path":"/services/oauth2/config/ttl/login_consent_request","value":"1s"}
            """);
        var client = await WebClientAsync(project);
        using var browser = platform.CreateClient();
        var challenge = Parameter(await FollowAsync(browser, AuthorizeUrl(project, client, Pkce.New())), "login_challenge");
        var path = $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(challenge)}";
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, _api.At(project, path), project.ApiKey)).Status);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.NotEqual(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, _api.At(project, path), project.ApiKey)).Status);
    }

    [Fact]
    public async Task TtlAuthenticationSession_IsARememberedLoginsLifetime()
    {
        var project = await ExternalAppsProjectAsync("""
            ,{"op":"replace","path":"/services/oauth2/config/ttl/authentication_session","value":"2s"}
            """);
        var client = await WebClientAsync(project);
        using var browser = platform.CreateClient();
        var challenge = Parameter(await FollowAsync(browser, AuthorizeUrl(project, client, Pkce.New())), "login_challenge");
        await FollowAsync(browser, await AcceptLoginAsync(project, challenge, new { subject = "config-user", remember = true }));

        async Task<bool> SkipAsync()
        {
            var next = Parameter(await FollowAsync(browser, AuthorizeUrl(project, client, Pkce.New())), "login_challenge");
            var (status, request) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(next)}"), project.ApiKey);
            Assert.Equal(HttpStatusCode.OK, status);
            return request!["skip"]!.GetValue<bool>();
        }

        Assert.True(await SkipAsync());
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(await SkipAsync());
    }
}
