using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Remembered login and consent sessions, prompt and max_age, the session admin API and RP-initiated logout,
/// with the test as the project's external login, consent and logout app (admin API only, as a Hydra app).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SessionsTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string PostLogoutUri = "http://127.0.0.1:5555/signed-out";
    const string LoginApp = "http://login.example.test/login";
    const string ConsentApp = "http://login.example.test/consent";
    const string LogoutApp = "http://login.example.test/logout";
    const string Scope = "openid offline_access";
    static readonly string[] Granted = ["openid", "offline_access"];
    readonly Api _api = new(platform);

    sealed record Setup(TestProject Project, TestClient Client);

    async Task<Setup> SetupAsync(string name = "sessions")
    {
        var project = await _api.CreateProjectAsync(name);
        var (status, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json($$"""
            [{"op":"replace","path":"/services/oauth2/config/urls/login","value":"{{LoginApp}}"},
             {"op":"replace","path":"/services/oauth2/config/urls/consent","value":"{{ConsentApp}}"},
             {"op":"replace","path":"/services/oauth2/config/urls/logout","value":"{{LogoutApp}}"}]
            """));
        Assert.Equal(HttpStatusCode.OK, status);
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"post_logout_redirect_uris":["{{PostLogoutUri}}"],"scope":"openid offline_access offline profile"}
            """);
        return new Setup(project, client);
    }

    static string AuthorizeUrl(Setup s, Pkce pkce, string? prompt = null, int? maxAge = null, string scope = Scope)
    {
        var extra = new Parameters();
        if (prompt is not null) extra.Add("prompt", prompt);
        if (maxAge is { } age) extra.Add("max_age", age.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new RequestUrl(s.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: s.Client.Id, responseType: "code", scope: scope, redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: pkce.Challenge, codeChallengeMethod: "S256", extra: extra);
    }

    static string ChallengeOf(Uri location, string app, string parameter)
    {
        Assert.StartsWith($"{app}?{parameter}=", location.ToString());
        return HttpUtility.ParseQueryString(location.Query)[parameter]!;
    }

    async Task<Uri> FollowAsync(HttpClient browser, string url)
    {
        using var response = await browser.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    Task<(HttpStatusCode Status, JsonNode? Body)> AdminAsync(Setup s, HttpMethod method, string path, object? body = null) =>
        _api.SendAsync(method, _api.At(s.Project, path), s.Project.ApiKey, body is null ? null : JsonContent.Create(body));

    /// <summary>Starts a flow and returns the login request the login app sees.</summary>
    async Task<JsonNode> LoginRequestAsync(HttpClient browser, Setup s, string authorizeUrl)
    {
        var challenge = ChallengeOf(await FollowAsync(browser, authorizeUrl), LoginApp, "login_challenge");
        var (status, request) = await AdminAsync(s, HttpMethod.Get, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(challenge)}");
        Assert.Equal(HttpStatusCode.OK, status);
        return request!;
    }

    /// <summary>Accepts the login and follows the browser back; returns where the authorization endpoint sends it.</summary>
    async Task<Uri> AcceptLoginAsync(HttpClient browser, Setup s, JsonNode login, string subject, bool remember)
    {
        var (status, redirect) = await AdminAsync(s, HttpMethod.Put,
            $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(login["challenge"]!.GetValue<string>())}", new { subject, remember });
        Assert.Equal(HttpStatusCode.OK, status);
        return await FollowAsync(browser, redirect!["redirect_to"]!.GetValue<string>());
    }

    async Task<JsonNode> ConsentRequestAsync(Setup s, Uri consentLocation)
    {
        var challenge = ChallengeOf(consentLocation, ConsentApp, "consent_challenge");
        var (status, request) = await AdminAsync(s, HttpMethod.Get, $"/admin/oauth2/auth/requests/consent?consent_challenge={Uri.EscapeDataString(challenge)}");
        Assert.Equal(HttpStatusCode.OK, status);
        return request!;
    }

    /// <summary>Accepts the consent and follows the browser to the client's redirect URI; returns the code.</summary>
    async Task<string> AcceptConsentAsync(HttpClient browser, Setup s, JsonNode consent, bool remember, string[]? granted = null)
    {
        var (status, redirect) = await AdminAsync(s, HttpMethod.Put,
            $"/admin/oauth2/auth/requests/consent/accept?consent_challenge={Uri.EscapeDataString(consent["challenge"]!.GetValue<string>())}",
            new { grant_scope = granted ?? Granted, remember, session = new { id_token = new { email = "user@example.com" } } });
        Assert.Equal(HttpStatusCode.OK, status);
        var callback = await FollowAsync(browser, redirect!["redirect_to"]!.GetValue<string>());
        Assert.StartsWith(RedirectUri, callback.ToString());
        var code = HttpUtility.ParseQueryString(callback.Query)["code"];
        Assert.StartsWith("lk_ac_", code);
        return code!;
    }

    async Task<TokenResponse> ExchangeAsync(Setup s, string code, Pkce pkce)
    {
        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = pkce.Verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        return tokens;
    }

    /// <summary>A whole first flow in this browser: login and consent, each remembered or not.</summary>
    async Task<TokenResponse> SignInAsync(HttpClient browser, Setup s, string subject, bool rememberLogin, bool rememberConsent)
    {
        var pkce = Pkce.New();
        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, pkce));
        Assert.False(login["skip"]!.GetValue<bool>());
        var consent = await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, login, subject, rememberLogin));
        return await ExchangeAsync(s, await AcceptConsentAsync(browser, s, consent, rememberConsent), pkce);
    }

    static JsonWebToken IdTokenOf(TokenResponse tokens) => new(tokens.IdentityToken);

    static Dictionary<string, string> ErrorAtRedirect(Uri location)
    {
        Assert.StartsWith(RedirectUri, location.ToString());
        var query = HttpUtility.ParseQueryString(location.Query);
        return query.AllKeys.ToDictionary(k => k!, k => query[k]!);
    }

    [Fact]
    public async Task RememberedLoginAndConsent_SkipBothSteps_AndKeepTheFirstAuthTime()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        var first = IdTokenOf(await SignInAsync(browser, s, "alice", rememberLogin: true, rememberConsent: true));

        var pkce = Pkce.New();
        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, pkce));
        Assert.True(login["skip"]!.GetValue<bool>());
        Assert.Equal("alice", login["subject"]!.GetValue<string>());
        Assert.Equal(first.GetClaim("sid").Value, login["session_id"]!.GetValue<string>());

        // A skipped login may only be confirmed for the same user.
        var (wrongSubject, error) = await AdminAsync(s, HttpMethod.Put,
            $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(login["challenge"]!.GetValue<string>())}", new { subject = "mallory" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongSubject);
        Api.AssertOAuth2Error(error, "invalid_request");

        var consent = await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, login, "alice", remember: false));
        Assert.True(consent["skip"]!.GetValue<bool>());
        var second = IdTokenOf(await ExchangeAsync(s, await AcceptConsentAsync(browser, s, consent, remember: false), pkce));

        Assert.Equal("alice", second.Subject);
        Assert.Equal(first.GetClaim("sid").Value, second.GetClaim("sid").Value);
        Assert.Equal(first.GetClaim("auth_time").Value, second.GetClaim("auth_time").Value);
    }

    [Fact]
    public async Task LoginNotRemembered_OrAnotherBrowser_AsksAgain()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        await SignInAsync(browser, s, "bob", rememberLogin: false, rememberConsent: true);
        Assert.False((await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New())))["skip"]!.GetValue<bool>());

        using var remembered = platform.CreateClient();
        await SignInAsync(remembered, s, "bob", rememberLogin: true, rememberConsent: false);
        using var other = platform.CreateClient();
        Assert.False((await LoginRequestAsync(other, s, AuthorizeUrl(s, Pkce.New())))["skip"]!.GetValue<bool>());

        // Consent was remembered only in the first round: the second round's consent was not, but the first still covers.
        var login = await LoginRequestAsync(remembered, s, AuthorizeUrl(s, Pkce.New()));
        Assert.True(login["skip"]!.GetValue<bool>());
        Assert.True((await ConsentRequestAsync(s, await AcceptLoginAsync(remembered, s, login, "bob", remember: false)))["skip"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Prompt_None_Login_Consent_AndMaxAge_AreHonoured()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();

        // No session yet: prompt=none goes back to the client with login_required, and its state.
        var noSession = ErrorAtRedirect(await FollowAsync(browser, AuthorizeUrl(s, Pkce.New(), prompt: "none")));
        Assert.Equal("login_required", noSession["error"]);
        Assert.Equal("state-123", noSession["state"]);

        await SignInAsync(browser, s, "carol", rememberLogin: true, rememberConsent: false);

        // Logged in but consent not remembered: prompt=none ends with consent_required.
        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New(), prompt: "none"));
        Assert.True(login["skip"]!.GetValue<bool>());
        Assert.Equal("consent_required", ErrorAtRedirect(await AcceptLoginAsync(browser, s, login, "carol", remember: false))["error"]);

        Assert.False((await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New(), prompt: "login")))["skip"]!.GetValue<bool>());
        await Task.Delay(1100);
        Assert.False((await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New(), maxAge: 1)))["skip"]!.GetValue<bool>());
        Assert.True((await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New(), maxAge: 3600)))["skip"]!.GetValue<bool>());

        // Remember consent once; prompt=consent still asks, prompt=none now succeeds without any page.
        var remember = await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New()));
        await AcceptConsentAsync(browser, s, await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, remember, "carol", remember: false)), remember: true);
        var forced = await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New(), prompt: "consent"));
        Assert.False((await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, forced, "carol", remember: false)))["skip"]!.GetValue<bool>());

        var pkce = Pkce.New();
        var silent = await LoginRequestAsync(browser, s, AuthorizeUrl(s, pkce, prompt: "none"));
        var consent = await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, silent, "carol", remember: false));
        Assert.True(consent["skip"]!.GetValue<bool>());
        Assert.Equal("carol", IdTokenOf(await ExchangeAsync(s, await AcceptConsentAsync(browser, s, consent, remember: false), pkce)).Subject);
    }

    [Fact]
    public async Task ConsentSessions_AreListed_AndRevokingOneRevokesItsTokens()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        var tokens = await SignInAsync(browser, s, "dave", rememberLogin: true, rememberConsent: true);

        var (listed, sessions) = await AdminAsync(s, HttpMethod.Get, "/admin/oauth2/auth/sessions/consent?subject=dave");
        Assert.Equal(HttpStatusCode.OK, listed);
        var session = Assert.Single(sessions!.AsArray())!;
        Assert.Equal(["openid", "offline_access"], session["grant_scope"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(session["remember"]!.GetValue<bool>());
        Assert.Equal(s.Client.Id, session["consent_request"]!["client"]!["client_id"]!.GetValue<string>());
        Assert.Equal("user@example.com", session["session"]!["id_token"]!["email"]!.GetValue<string>());
        Assert.Empty((await AdminAsync(s, HttpMethod.Get, "/admin/oauth2/auth/sessions/consent?subject=someone-else")).Body!.AsArray());

        var (noSubject, envelope) = await AdminAsync(s, HttpMethod.Get, "/admin/oauth2/auth/sessions/consent");
        Assert.Equal(HttpStatusCode.BadRequest, noSubject);
        Assert.Contains("subject", Api.AssertOAuth2Error(envelope, "invalid_request"));
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminAsync(s, HttpMethod.Delete, "/admin/oauth2/auth/sessions/consent?subject=dave")).Status);

        Assert.True((await _api.IntrospectAsync(s.Project, tokens.AccessToken!))["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(s, HttpMethod.Delete, $"/admin/oauth2/auth/sessions/consent?subject=dave&client={s.Client.Id}")).Status);

        Assert.False((await _api.IntrospectAsync(s.Project, tokens.AccessToken!))["active"]!.GetValue<bool>());
        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.Empty((await AdminAsync(s, HttpMethod.Get, "/admin/oauth2/auth/sessions/consent?subject=dave")).Body!.AsArray());

        // The login is still remembered, the consent is not.
        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New()));
        Assert.True(login["skip"]!.GetValue<bool>());
        Assert.False((await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, login, "dave", remember: false)))["skip"]!.GetValue<bool>());
    }

    [Fact]
    public async Task LoginSessions_Revoked_ByTheAdminApi_AskForLoginAgain()
    {
        var s = await SetupAsync();
        using var bySubject = platform.CreateClient();
        await SignInAsync(bySubject, s, "erin", rememberLogin: true, rememberConsent: false);
        using var bySid = platform.CreateClient();
        var sid = IdTokenOf(await SignInAsync(bySid, s, "frank", rememberLogin: true, rememberConsent: false)).GetClaim("sid").Value;

        Assert.Equal(HttpStatusCode.BadRequest, (await AdminAsync(s, HttpMethod.Delete, "/admin/oauth2/auth/sessions/login")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(s, HttpMethod.Delete, "/admin/oauth2/auth/sessions/login?subject=erin")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(s, HttpMethod.Delete, $"/admin/oauth2/auth/sessions/login?sid={Uri.EscapeDataString(sid)}")).Status);

        Assert.False((await LoginRequestAsync(bySubject, s, AuthorizeUrl(s, Pkce.New())))["skip"]!.GetValue<bool>());
        Assert.False((await LoginRequestAsync(bySid, s, AuthorizeUrl(s, Pkce.New())))["skip"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ClientWithSkipConsent_SkipsConsentOnTheFirstRequest_UnlessPromptConsent()
    {
        var s = await SetupAsync();
        var trusted = await _api.CreateClientAsync(s.Project, $$"""
            {"client_name":"first-party","grant_types":["authorization_code"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid","skip_consent":true}
            """);
        var t = s with { Client = trusted };
        using var browser = platform.CreateClient();

        var login = await LoginRequestAsync(browser, t, AuthorizeUrl(t, Pkce.New(), scope: "openid"));
        Assert.True((await ConsentRequestAsync(t, await AcceptLoginAsync(browser, t, login, "kim", remember: false)))["skip"]!.GetValue<bool>());
        var forced = await LoginRequestAsync(browser, t, AuthorizeUrl(t, Pkce.New(), prompt: "consent", scope: "openid"));
        Assert.False((await ConsentRequestAsync(t, await AcceptLoginAsync(browser, t, forced, "kim", remember: false)))["skip"]!.GetValue<bool>());
    }

    [Fact]
    public async Task OfflineScope_LikeOfflineAccess_IssuesARotatingRefreshToken()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        var pkce = Pkce.New();
        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, pkce, scope: "openid offline"));
        var consent = await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, login, "judy", remember: false));
        var tokens = await ExchangeAsync(s, await AcceptConsentAsync(browser, s, consent, remember: false, granted: ["openid", "offline"]), pkce);
        Assert.StartsWith("lk_rt_", tokens.RefreshToken);
        Assert.Equal("openid offline", tokens.Scope);

        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            RefreshToken = tokens.RefreshToken!,
        });
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.StartsWith("lk_rt_", refreshed.RefreshToken);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
    }

    string LogoutUrl(Setup s, string? idToken, string? postLogoutUri = PostLogoutUri) =>
        $"{s.Project.Issuer}/oauth2/sessions/logout?state=bye"
        + (idToken is null ? "" : $"&id_token_hint={Uri.EscapeDataString(idToken)}")
        + (postLogoutUri is null ? "" : $"&post_logout_redirect_uri={Uri.EscapeDataString(postLogoutUri)}");

    [Fact]
    public async Task Logout_ThroughTheLogoutApp_EndsTheSession_AndReturnsToTheClient()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        var tokens = await SignInAsync(browser, s, "grace", rememberLogin: true, rememberConsent: false);
        var sid = IdTokenOf(tokens).GetClaim("sid").Value;

        var challenge = ChallengeOf(await FollowAsync(browser, LogoutUrl(s, tokens.IdentityToken)), LogoutApp, "logout_challenge");
        var (got, request) = await AdminAsync(s, HttpMethod.Get, $"/admin/oauth2/auth/requests/logout?logout_challenge={Uri.EscapeDataString(challenge)}");
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.Equal("grace", request!["subject"]!.GetValue<string>());
        Assert.Equal(sid, request["sid"]!.GetValue<string>());
        Assert.True(request["rp_initiated"]!.GetValue<bool>());
        Assert.Equal(s.Client.Id, request["client"]!["client_id"]!.GetValue<string>());

        var (accepted, redirect) = await AdminAsync(s, HttpMethod.Put, $"/admin/oauth2/auth/requests/logout/accept?logout_challenge={Uri.EscapeDataString(challenge)}");
        Assert.Equal(HttpStatusCode.OK, accepted);
        var verifierUrl = redirect!["redirect_to"]!.GetValue<string>();
        Assert.StartsWith(s.Project.Issuer + "/oauth2/sessions/logout?logout_verifier=", verifierUrl);
        Assert.Equal(410, (int)(await AdminAsync(s, HttpMethod.Get, $"/admin/oauth2/auth/requests/logout?logout_challenge={Uri.EscapeDataString(challenge)}")).Status);

        // A verifier is bound to the browser that started the logout.
        using (var stranger = platform.CreateClient())
        using (var stolen = await stranger.GetAsync(verifierUrl))
            Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);

        Assert.Equal(PostLogoutUri + "?state=bye", (await FollowAsync(browser, verifierUrl)).ToString());
        Assert.False((await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New())))["skip"]!.GetValue<bool>());

        using var replay = await browser.GetAsync(verifierUrl);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("invalid_request", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logout_Rejected_KeepsTheSession_AndBadRequestsAreRefused()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        var tokens = await SignInAsync(browser, s, "heidi", rememberLogin: true, rememberConsent: false);

        var challenge = ChallengeOf(await FollowAsync(browser, LogoutUrl(s, tokens.IdentityToken)), LogoutApp, "logout_challenge");
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(s, HttpMethod.Put, $"/admin/oauth2/auth/requests/logout/reject?logout_challenge={Uri.EscapeDataString(challenge)}")).Status);
        Assert.True((await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New())))["skip"]!.GetValue<bool>());

        // An unregistered post_logout_redirect_uri, or one without an id_token_hint, is refused before anything else.
        foreach (var url in new[] { LogoutUrl(s, tokens.IdentityToken, "http://evil.example.test/"), LogoutUrl(s, idToken: null) })
        {
            using var refused = await browser.GetAsync(url);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{url}: {refused.StatusCode} {refused.Headers.Location}");
            Assert.Contains("invalid_request", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(s, HttpMethod.Get, "/admin/oauth2/auth/requests/logout?logout_challenge=forged.challenge")).Status);

        // Without a session there is nothing to end: the browser goes straight back to the client.
        using var fresh = platform.CreateClient();
        Assert.Equal(PostLogoutUri + "?state=bye", (await FollowAsync(fresh, LogoutUrl(s, tokens.IdentityToken))).ToString());
    }

    [Fact]
    public async Task SessionsAndLogoutChallenges_OfOneProject_DoNothingAtAnother()
    {
        var a = await SetupAsync("sessions-a");
        var b = await SetupAsync("sessions-b");
        var jar = new CookieContainer();
        using var browser = platform.CreateClient(cookies: jar);
        var tokens = await SignInAsync(browser, a, "ivan", rememberLogin: true, rememberConsent: true);

        // Replay project A's session cookie at project B's host: B knows no such session.
        var cookie = jar.GetCookies(new Uri(a.Project.Issuer)).Single(c => c.Name == "lk_session");
        var planted = new CookieContainer();
        planted.Add(new Uri(b.Project.Issuer), new Cookie(cookie.Name, cookie.Value, "/"));
        using var replay = platform.CreateClient(cookies: planted);
        Assert.False((await LoginRequestAsync(replay, b, AuthorizeUrl(b, Pkce.New())))["skip"]!.GetValue<bool>());

        Assert.Empty((await AdminAsync(b, HttpMethod.Get, "/admin/oauth2/auth/sessions/consent?subject=ivan")).Body!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(b, HttpMethod.Delete, "/admin/oauth2/auth/sessions/consent?subject=ivan&all=true")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await AdminAsync(b, HttpMethod.Delete, "/admin/oauth2/auth/sessions/login?subject=ivan")).Status);
        Assert.True((await _api.IntrospectAsync(a.Project, tokens.AccessToken!))["active"]!.GetValue<bool>());
        Assert.Single((await AdminAsync(a, HttpMethod.Get, "/admin/oauth2/auth/sessions/consent?subject=ivan")).Body!.AsArray());

        var challenge = ChallengeOf(await FollowAsync(browser, LogoutUrl(a, tokens.IdentityToken)), LogoutApp, "logout_challenge");
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(b, HttpMethod.Get, $"/admin/oauth2/auth/requests/logout?logout_challenge={Uri.EscapeDataString(challenge)}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await AdminAsync(b, HttpMethod.Put, $"/admin/oauth2/auth/requests/logout/accept?logout_challenge={Uri.EscapeDataString(challenge)}")).Status);
        Assert.True((await LoginRequestAsync(browser, a, AuthorizeUrl(a, Pkce.New())))["skip"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RememberFor_PastTenYears_Is400_AndTheLongestAllowedKeepsLaterLoginsWorking()
    {
        const long tenYears = 3650L * 24 * 3600;
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        var pkce = Pkce.New();
        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, pkce));
        var loginAccept = $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(login["challenge"]!.GetValue<string>())}";

        var (tooLongLogin, loginError) = await AdminAsync(s, HttpMethod.Put, loginAccept, new { subject = "erin", remember = true, remember_for = long.MaxValue });
        Assert.Equal(HttpStatusCode.BadRequest, tooLongLogin);
        Assert.Contains("remember_for", Api.AssertOAuth2Error(loginError, "invalid_request"));
        var (accepted, redirect) = await AdminAsync(s, HttpMethod.Put, loginAccept, new { subject = "erin", remember = true, remember_for = tenYears });
        Assert.Equal(HttpStatusCode.OK, accepted);
        var consent = await ConsentRequestAsync(s, await FollowAsync(browser, redirect!["redirect_to"]!.GetValue<string>()));
        var consentAccept = $"/admin/oauth2/auth/requests/consent/accept?consent_challenge={Uri.EscapeDataString(consent["challenge"]!.GetValue<string>())}";

        var (tooLongConsent, consentError) = await AdminAsync(s, HttpMethod.Put, consentAccept,
            new { grant_scope = Granted, remember = true, remember_for = 9223372036854775807 });
        Assert.Equal(HttpStatusCode.BadRequest, tooLongConsent);
        Api.AssertOAuth2Error(consentError, "invalid_request");
        var (consented, done) = await AdminAsync(s, HttpMethod.Put, consentAccept, new { grant_scope = Granted, remember = true, remember_for = tenYears });
        Assert.Equal(HttpStatusCode.OK, consented);
        var callback = await FollowAsync(browser, done!["redirect_to"]!.GetValue<string>());
        await ExchangeAsync(s, HttpUtility.ParseQueryString(callback.Query)["code"]!, pkce);

        // The next login of this user to this client: both remembered, both skipped, tokens issued.
        var again = Pkce.New();
        var second = await LoginRequestAsync(browser, s, AuthorizeUrl(s, again));
        Assert.True(second["skip"]!.GetValue<bool>());
        var secondConsent = await ConsentRequestAsync(s, await AcceptLoginAsync(browser, s, second, "erin", remember: false));
        Assert.True(secondConsent["skip"]!.GetValue<bool>());
        Assert.Equal("erin", IdTokenOf(await ExchangeAsync(s, await AcceptConsentAsync(browser, s, secondConsent, remember: false), again)).Subject);
    }

    [Fact]
    public async Task MaxAge_Huge_PutsNoLimitOnTheRememberedLogin_AndOddValuesAreNot500s()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();
        await SignInAsync(browser, s, "frank", rememberLogin: true, rememberConsent: false);

        var login = await LoginRequestAsync(browser, s, AuthorizeUrl(s, Pkce.New()) + "&max_age=99999999999999");
        Assert.True(login["skip"]!.GetValue<bool>());

        foreach (var odd in new[] { "-1", "99999999999999999999999", "1e400", "abc" })
        {
            using var response = await browser.GetAsync(AuthorizeUrl(s, Pkce.New()) + "&max_age=" + odd);
            Assert.True((int)response.StatusCode < 500, $"max_age={odd} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
