using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The authorization-code flow through Hydra's login and consent protocol, with the test acting as the
/// project's external login/consent app (it only calls the admin API, as a Hydra login app does), a
/// cookie-keeping browser, and Duende.IdentityModel plus Microsoft.IdentityModel on the client side.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AuthorizationCodeFlowTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string LoginApp = "http://login.example.test/login";
    const string ConsentApp = "http://login.example.test/consent";
    readonly Api _api = new(platform);

    sealed record Setup(TestProject Project, TestClient Client);

    async Task<Setup> SetupAsync(bool enforcePkce = false, string? accessTokenStrategy = null)
    {
        var project = await _api.CreateProjectAsync("auth-code");
        var (status, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json($$"""
            [{"op":"replace","path":"/services/oauth2/config/urls/login","value":"{{LoginApp}}"},
             {"op":"replace","path":"/services/oauth2/config/urls/consent","value":"{{ConsentApp}}"},
             {"op":"replace","path":"/services/oauth2/config/oauth2/pkce/enforced","value":{{(enforcePkce ? "true" : "false")}}}]
            """));
        Assert.Equal(HttpStatusCode.OK, status);
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access profile"{{(accessTokenStrategy is null ? "" : $",\"access_token_strategy\":\"{accessTokenStrategy}\"")}}}
            """);
        return new Setup(project, client);
    }

    static string AuthorizeUrl(Setup s, string challenge, string state = "state-123", string nonce = "nonce-456", string redirectUri = RedirectUri, string method = "S256") =>
        new RequestUrl(s.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: s.Client.Id, responseType: "code", scope: "openid offline_access", redirectUri: redirectUri,
            state: state, nonce: nonce, codeChallenge: challenge, codeChallengeMethod: method);

    /// <summary>Follows the browser to the login app, accepts there, and returns where the browser goes next.</summary>
    async Task<string> LoginAsync(HttpClient browser, Setup s, string authorizeUrl, string subject = "user-1")
    {
        using var start = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var login = start.Headers.Location!.ToString();
        Assert.StartsWith(LoginApp + "?login_challenge=", login);
        var challenge = Uri.UnescapeDataString(login[(LoginApp.Length + "?login_challenge=".Length)..]);

        var (status, request) = await _api.SendAsync(HttpMethod.Get, _api.At(s.Project, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(challenge)}"), s.Project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(s.Client.Id, request!["client"]!["client_id"]!.GetValue<string>());
        Assert.Contains("openid", request["requested_scope"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.False(request["skip"]!.GetValue<bool>());

        var (accepted, redirect) = await _api.SendAsync(HttpMethod.Put, _api.At(s.Project, $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(challenge)}"), s.Project.ApiKey,
            JsonContent.Create(new { subject, remember = false }));
        Assert.Equal(HttpStatusCode.OK, accepted);
        return redirect!["redirect_to"]!.GetValue<string>();
    }

    async Task<string> ConsentAsync(HttpClient browser, Setup s, string afterLogin)
    {
        using var back = await browser.GetAsync(afterLogin);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var consent = back.Headers.Location!.ToString();
        Assert.StartsWith(ConsentApp + "?consent_challenge=", consent);
        var challenge = Uri.UnescapeDataString(consent[(ConsentApp.Length + "?consent_challenge=".Length)..]);

        var (status, request) = await _api.SendAsync(HttpMethod.Get, _api.At(s.Project, $"/admin/oauth2/auth/requests/consent?consent_challenge={Uri.EscapeDataString(challenge)}"), s.Project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("user-1", request!["subject"]!.GetValue<string>());

        var (accepted, redirect) = await _api.SendAsync(HttpMethod.Put, _api.At(s.Project, $"/admin/oauth2/auth/requests/consent/accept?consent_challenge={Uri.EscapeDataString(challenge)}"), s.Project.ApiKey,
            Api.Json("""{"grant_scope":["openid","offline_access"],"session":{"id_token":{"email":"user-1@example.com"}}}"""));
        Assert.Equal(HttpStatusCode.OK, accepted);
        return redirect!["redirect_to"]!.GetValue<string>();
    }

    [Fact]
    public async Task AuthorizationCode_ExternalLoginAndConsentApp_IssuesVerifiableTokens()
    {
        var s = await SetupAsync();
        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();

        var afterConsent = await ConsentAsync(browser, s, await LoginAsync(browser, s, AuthorizeUrl(s, challenge)));
        using var callback = await browser.GetAsync(afterConsent);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var location = callback.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("state-123", query["state"]);
        var code = query["code"]!;
        Assert.StartsWith("lk_ac_", code);

        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        Assert.StartsWith("lk_at_", tokens.AccessToken);
        Assert.StartsWith("lk_rt_", tokens.RefreshToken);

        // The ID token verifies against the project's JWKS, with the contract's issuer and the consent's claims.
        var id = await Oidc.ValidIdTokenAsync(_api.Http, s.Project.Issuer, s.Client.Id, tokens.IdentityToken);
        Assert.Equal("RS256", id.Alg);
        Assert.Equal("user-1", id.Subject);
        Assert.Equal("nonce-456", id.GetClaim("nonce").Value);
        Assert.Equal("user-1@example.com", id.GetClaim("email").Value);
        Assert.True(id.TryGetClaim("at_hash", out _));
        Assert.True(id.TryGetClaim("auth_time", out _));
        Assert.True(id.TryGetClaim("sid", out _));

        // /userinfo answers the subject and the consent's id_token claims.
        var userInfo = await _api.Http.GetUserInfoAsync(new UserInfoRequest { Address = s.Project.Issuer + "/userinfo", Token = tokens.AccessToken! });
        Assert.False(userInfo.IsError, userInfo.Error);
        Assert.Equal("user-1", userInfo.Json!.Value.GetProperty("sub").GetString());
        Assert.Equal("user-1@example.com", userInfo.Json!.Value.GetProperty("email").GetString());

        var introspected = await _api.IntrospectAsync(s.Project, tokens.AccessToken!);
        Assert.True(introspected["active"]!.GetValue<bool>());
        Assert.Equal("user-1", introspected["sub"]!.GetValue<string>());

        // The refresh token rotates; the rotated one cannot be used again.
        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        var reused = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        Assert.Equal("invalid_grant", reused.Error);
        Assert.False((await _api.IntrospectAsync(s.Project, refreshed.RefreshToken!))["active"]!.GetValue<bool>(), "reuse revokes the whole family");
        Assert.False((await _api.IntrospectAsync(s.Project, refreshed.AccessToken!))["active"]!.GetValue<bool>(), "reuse revokes the whole family");
    }

    [Fact]
    public async Task AuthorizationCode_JwtClientInOpaqueProject_IssuesJwtAccessTokensThatUserInfoAccepts()
    {
        var s = await SetupAsync(accessTokenStrategy: "jwt");
        var (code, verifier) = await CodeAsync(s);

        var tokens = await ExchangeAsync(s, code, verifier);

        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        Assert.StartsWith("lk_rt_", tokens.RefreshToken);
        var jwks = new JsonWebKeySet(await _api.Http.GetStringAsync(s.Project.Issuer + "/.well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = s.Project.Issuer,
            ValidateAudience = false,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal("user-1", ((JsonWebToken)validation.SecurityToken).Subject);

        var userInfo = await _api.Http.GetUserInfoAsync(new UserInfoRequest { Address = s.Project.Issuer + "/userinfo", Token = tokens.AccessToken! });
        Assert.False(userInfo.IsError, userInfo.Error);
        Assert.Equal("user-1", userInfo.Json!.Value.GetProperty("sub").GetString());
        Assert.Equal("user-1@example.com", userInfo.Json!.Value.GetProperty("email").GetString());
        var introspected = await _api.IntrospectAsync(s.Project, tokens.AccessToken!);
        Assert.True(introspected["active"]!.GetValue<bool>());
        Assert.Equal(s.Client.Id, introspected["client_id"]!.GetValue<string>());

        // The refresh-token grant follows the client's strategy too.
        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        Assert.Equal("at+jwt", new JsonWebToken(refreshed.AccessToken).Typ);
        Assert.True((await _api.IntrospectAsync(s.Project, refreshed.AccessToken!))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AuthorizationCode_Replayed_IsInvalidGrantAndRevokesWhatItIssued()
    {
        var s = await SetupAsync();
        var (code, verifier) = await CodeAsync(s);
        var tokens = await ExchangeAsync(s, code, verifier);
        Assert.False(tokens.IsError, tokens.Error);

        var replay = await ExchangeAsync(s, code, verifier);

        Assert.Equal("invalid_grant", replay.Error);
        Assert.False((await _api.IntrospectAsync(s.Project, tokens.AccessToken!))["active"]!.GetValue<bool>(), "a replayed code revokes what it issued");
        Assert.False((await _api.IntrospectAsync(s.Project, tokens.RefreshToken!))["active"]!.GetValue<bool>(), "a replayed code revokes what it issued");
    }

    async Task<(string Code, string Verifier)> CodeAsync(Setup s)
    {
        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        var afterConsent = await ConsentAsync(browser, s, await LoginAsync(browser, s, AuthorizeUrl(s, challenge)));
        using var callback = await browser.GetAsync(afterConsent);
        return (System.Web.HttpUtility.ParseQueryString(callback.Headers.Location!.Query)["code"]!, verifier);
    }

    Task<TokenResponse> ExchangeAsync(Setup s, string code, string verifier) =>
        _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });

    [Fact]
    public async Task LoginVerifier_FromAnotherBrowser_YieldsNoCode()
    {
        var s = await SetupAsync();
        var (_, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var attacker = platform.CreateClient();
        var afterLogin = await LoginAsync(browser, s, AuthorizeUrl(s, challenge));

        using var stolen = await attacker.GetAsync(afterLogin);

        var location = stolen.Headers.Location?.ToString() ?? "";
        Assert.DoesNotContain("consent_challenge", location);
        Assert.DoesNotContain("code=", location);
    }

    [Fact]
    public async Task LoginReject_SendsBrowserBackWithAccessDenied()
    {
        var s = await SetupAsync();
        var (_, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var start = await browser.GetAsync(AuthorizeUrl(s, challenge));
        var loginChallenge = Uri.UnescapeDataString(start.Headers.Location!.Query["?login_challenge=".Length..]);

        var (status, body) = await _api.SendAsync(HttpMethod.Put, _api.At(s.Project, $"/admin/oauth2/auth/requests/login/reject?login_challenge={Uri.EscapeDataString(loginChallenge)}"), s.Project.ApiKey,
            Api.Json("""{"error":"access_denied","error_description":"The user said no."}"""));

        Assert.Equal(HttpStatusCode.OK, status);
        // As in Hydra, back through the authorization endpoint, which answers the client in its response mode.
        var redirect = body!["redirect_to"]!.GetValue<string>();
        Assert.StartsWith(s.Project.Issuer + "/oauth2/auth?", redirect);
        using var error = await browser.GetAsync(redirect);
        Assert.Equal(HttpStatusCode.Redirect, error.StatusCode);
        var location = error.Headers.Location!.ToString();
        Assert.StartsWith(RedirectUri + "?error=access_denied", location);
        Assert.Contains("state=state-123", location);
        Assert.Equal("The user said no.", System.Web.HttpUtility.ParseQueryString(error.Headers.Location!.Query)["error_description"]);
        var (again, handled) = await _api.SendAsync(HttpMethod.Get, _api.At(s.Project, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(loginChallenge)}"), s.Project.ApiKey);
        Assert.Equal(HttpStatusCode.Gone, again);
        Assert.NotNull(handled!["redirect_to"]);
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_ShowsErrorAndNeverRedirectsThere()
    {
        var s = await SetupAsync();
        var (_, challenge) = Pkce.New();
        using var browser = platform.CreateClient();

        using var response = await browser.GetAsync(AuthorizeUrl(s, challenge, redirectUri: "http://evil.example.com/callback"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_PkceEnforcedWithoutChallenge_IsRejected()
    {
        var s = await SetupAsync(enforcePkce: true);
        using var browser = platform.CreateClient();
        var url = new RequestUrl(s.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: s.Client.Id, responseType: "code", scope: "openid", redirectUri: RedirectUri, state: "state-123");

        using var response = await browser.GetAsync(url);

        await AssertInvalidRequestAsync(response);
    }

    /// <summary>Either shown on the authorization server's error page or sent back to the client; never a login.</summary>
    static async Task AssertInvalidRequestAsync(HttpResponseMessage response)
    {
        if (response.Headers.Location is { } location)
        {
            Assert.StartsWith(RedirectUri, location.ToString());
            Assert.Contains("error=invalid_request", location.ToString());
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Authorize_PlainPkce_IsRefused()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();

        using var response = await browser.GetAsync(AuthorizeUrl(s, "a-plain-challenge-that-is-long-enough-1234567890", method: "plain"));

        await AssertInvalidRequestAsync(response);
    }

    [Fact]
    public async Task LoginChallenge_OfOtherProject_IsNotFound()
    {
        var s = await SetupAsync();
        var other = await _api.CreateProjectAsync("other");
        var (_, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var start = await browser.GetAsync(AuthorizeUrl(s, challenge));
        var loginChallenge = Uri.UnescapeDataString(start.Headers.Location!.Query["?login_challenge=".Length..]);

        var (status, _) = await _api.SendAsync(HttpMethod.Get, _api.At(other, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(loginChallenge)}"), other.ApiKey);
        var (accept, _) = await _api.SendAsync(HttpMethod.Put, _api.At(other, $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(loginChallenge)}"), other.ApiKey,
            JsonContent.Create(new { subject = "intruder" }));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, accept);
    }
}
