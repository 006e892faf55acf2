using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The project's hosted login, sign-up and consent pages (a project without <c>urls.login</c>/<c>urls.consent</c>),
/// driven like a browser without JavaScript: a cookie-keeping client that reads the HTML forms and posts them.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class HostedLoginTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string Password = "correct horse battery";
    readonly Api _api = new(platform);

    sealed record Setup(TestProject Project, TestClient Client);

    async Task<Setup> SetupAsync(string name = "hosted")
    {
        var project = await _api.CreateProjectAsync(name);
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"Web <App>","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access profile"}
            """);
        return new Setup(project, client);
    }

    static string NewEmail() => $"User-{Guid.NewGuid():N}@Example.com";

    static string AuthorizeUrl(Setup s, string challenge) =>
        new RequestUrl(s.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: s.Client.Id, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: challenge, codeChallengeMethod: "S256");

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    [GeneratedRegex("<input id=\"scope-\\d+\" name=\"grant_scope\" type=\"checkbox\" value=\"([^\"]+)\"")]
    private static partial Regex ScopeCheckbox();

    /// <summary>Starts the flow and follows the browser to the hosted login page.</summary>
    async Task<(Uri Page, string Html)> OpenLoginAsync(HttpClient browser, Setup s, string codeChallenge)
    {
        using var start = await browser.GetAsync(AuthorizeUrl(s, codeChallenge));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var login = start.Headers.Location!;
        Assert.StartsWith(s.Project.Issuer + "/ui/login?login_challenge=", login.ToString());
        using var page = await browser.GetAsync(login);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType!.ToString());
        return (login, await page.Content.ReadAsStringAsync());
    }

    async Task<(Uri Page, string Html)> SignUpPageAsync(HttpClient browser, Uri loginPage, string loginHtml)
    {
        var link = RegistrationLink().Match(loginHtml);
        Assert.True(link.Success, "the login page links to sign-up");
        var registration = new Uri(loginPage, WebUtility.HtmlDecode(link.Groups[1].Value));
        using var page = await browser.GetAsync(registration);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return (registration, await page.Content.ReadAsStringAsync());
    }

    /// <summary>After the login app accepted: back to the authorization endpoint, then to the consent page.</summary>
    async Task<(Uri Page, string Html)> FollowToConsentAsync(HttpClient browser, Setup s, HttpResponseMessage accepted)
    {
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.StartsWith(s.Project.Issuer + "/oauth2/auth?", accepted.Headers.Location!.ToString());
        using var back = await browser.GetAsync(accepted.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var consent = back.Headers.Location!;
        Assert.StartsWith(s.Project.Issuer + "/ui/consent?consent_challenge=", consent.ToString());
        using var page = await browser.GetAsync(consent);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return (consent, await page.Content.ReadAsStringAsync());
    }

    async Task<string> AllowAndGetCodeAsync(HttpClient browser, (Uri Page, string Html) consent, bool remember = false)
    {
        var form = HtmlForms.Parse(consent.Page, consent.Html);
        using var allowed = await HtmlForms.SubmitAsync(browser, form, ("grant_scope", "openid"), ("grant_scope", "offline_access"), ("action", "allow"), ("remember", remember ? "true" : ""));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        using var callback = await browser.GetAsync(allowed.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return CodeOf(callback.Headers.Location!);
    }

    static string CodeOf(Uri location)
    {
        Assert.StartsWith(RedirectUri, location.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("state-123", query["state"]);
        Assert.StartsWith("lk_ac_", query["code"]);
        return query["code"]!;
    }

    async Task<JsonWebToken> ExchangeAsync(Setup s, string code, string verifier)
    {
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
        Assert.StartsWith("lk_rt_", tokens.RefreshToken);
        var id = await Oidc.ValidIdTokenAsync(_api.Http, s.Project.Issuer, s.Client.Id, tokens.IdentityToken);
        Assert.Equal("nonce-456", id.GetClaim("nonce").Value);
        return id;
    }

    async Task<string> SignUpAsync(Setup s, string email)
    {
        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        var login = await OpenLoginAsync(browser, s, challenge);
        var registration = await SignUpPageAsync(browser, login.Page, login.Html);
        using var signedUp = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(registration.Page, registration.Html), ("email", email), ("password", Password));
        var code = await AllowAndGetCodeAsync(browser, await FollowToConsentAsync(browser, s, signedUp));
        return (await ExchangeAsync(s, code, verifier)).Subject;
    }

    async Task<HttpResponseMessage> SignInAsync(HttpClient browser, Setup s, string email, string password, string codeChallenge, bool remember = false)
    {
        var login = await OpenLoginAsync(browser, s, codeChallenge);
        return await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(login.Page, login.Html), ("email", email), ("password", password), ("remember", remember ? "true" : ""));
    }

    /// <summary>Follows redirects by hand, as a browser does, until the client's redirect URI; returns every page passed.</summary>
    async Task<(List<string> Visited, Uri Callback)> FollowToCallbackAsync(HttpClient browser, string url)
    {
        var visited = new List<string>();
        for (var hop = 0; hop < 10; hop++)
        {
            visited.Add(url);
            using var response = await browser.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url} answered {(int)response.StatusCode} instead of redirecting");
            var next = response.Headers.Location!;
            if (next.ToString().StartsWith(RedirectUri, StringComparison.Ordinal)) return (visited, next);
            url = next.ToString();
        }
        throw new InvalidOperationException("Too many redirects: " + string.Join(" -> ", visited));
    }

    [Fact]
    public async Task HostedPages_FormsPostedToAnotherOAuth2Replica_SignUpConsentAndLoginSucceed()
    {
        // Before: each replica kept its data-protection key ring on its own disk, so the antiforgery token of a
        // page one replica served was refused by the other and the form answered 403.
        var replica = await platform.StartOAuth2ReplicaAsync();
        var s = await SetupAsync("replicas");
        var email = NewEmail();
        var (verifier, challenge) = Pkce.New();
        var cookies = new CookieContainer();
        using var first = platform.CreateClient(cookies: cookies);
        using var second = platform.CreateClient(cookies: cookies, port: replica);

        var login = await OpenLoginAsync(first, s, challenge);
        var registration = await SignUpPageAsync(first, login.Page, login.Html);
        using var signedUp = await HtmlForms.SubmitAsync(second, HtmlForms.Parse(registration.Page, registration.Html), ("email", email), ("password", Password));
        var code = await AllowAndGetCodeAsync(second, await FollowToConsentAsync(first, s, signedUp));
        var subject = (await ExchangeAsync(s, code, verifier)).Subject;

        var freshCookies = new CookieContainer();
        using var fresh = platform.CreateClient(cookies: freshCookies);
        using var freshOnReplica = platform.CreateClient(cookies: freshCookies, port: replica);
        var (verifier2, challenge2) = Pkce.New();
        var again = await OpenLoginAsync(fresh, s, challenge2);
        using var signedIn = await HtmlForms.SubmitAsync(freshOnReplica, HtmlForms.Parse(again.Page, again.Html), ("email", email), ("password", Password));
        var code2 = await AllowAndGetCodeAsync(freshOnReplica, await FollowToConsentAsync(fresh, s, signedIn));
        Assert.Equal(subject, (await ExchangeAsync(s, code2, verifier2)).Subject);
    }

    [Fact]
    public async Task HostedPages_RememberMe_SkipsLoginAndConsent_UntilSignOut()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        var subject = await SignUpAsync(s, email);
        using var browser = platform.CreateClient();
        var (verifier, challenge) = Pkce.New();
        using var signedIn = await SignInAsync(browser, s, email, Password, challenge, remember: true);
        await ExchangeAsync(s, await AllowAndGetCodeAsync(browser, await FollowToConsentAsync(browser, s, signedIn), remember: true), verifier);

        // Same browser: the hosted pages confirm the remembered login and consent without showing a form.
        var (verifier2, challenge2) = Pkce.New();
        var (visited, callback) = await FollowToCallbackAsync(browser, AuthorizeUrl(s, challenge2));
        Assert.Contains(visited, v => v.StartsWith(s.Project.Issuer + "/ui/login?", StringComparison.Ordinal));
        Assert.Contains(visited, v => v.StartsWith(s.Project.Issuer + "/ui/consent?", StringComparison.Ordinal));
        Assert.Equal(subject, (await ExchangeAsync(s, CodeOf(callback), verifier2)).Subject);

        // Sign out on the hosted page: the next sign-in shows the login form again.
        using var logout = await browser.GetAsync(s.Project.Issuer + "/oauth2/sessions/logout");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.StartsWith(s.Project.Issuer + "/ui/logout?logout_challenge=", logout.Headers.Location!.ToString());
        using var page = await browser.GetAsync(logout.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(email.ToLowerInvariant(), html);
        using var confirmed = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(logout.Headers.Location!, html), ("action", "logout"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        using var ended = await browser.GetAsync(confirmed.Headers.Location);
        Assert.Equal(s.Project.Issuer + "/ui/logged-out", ended.Headers.Location!.ToString());
        using var signedOut = await browser.GetAsync(ended.Headers.Location);
        Assert.Contains("You have signed out.", await signedOut.Content.ReadAsStringAsync());

        await OpenLoginAsync(browser, s, Pkce.New().Challenge);
    }

    [Fact]
    public async Task HostedPages_SignUp_Consent_ThenSignInAgainInAFreshBrowser()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        var (verifier, challenge) = Pkce.New();

        using (var browser = platform.CreateClient())
        {
            var login = await OpenLoginAsync(browser, s, challenge);
            Assert.Contains("<label for=\"email\">", login.Html);
            Assert.Contains("<label for=\"password\">", login.Html);
            Assert.Contains("Web &lt;App&gt;", login.Html);
            var registration = await SignUpPageAsync(browser, login.Page, login.Html);
            var form = HtmlForms.Parse(registration.Page, registration.Html);
            Assert.Contains(form.Fields.Keys, k => k != "login_challenge");

            using var tooShort = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", "short"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, tooShort.StatusCode);
            Assert.Contains("at least 8 characters", await tooShort.Content.ReadAsStringAsync());

            using var signedUp = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", Password));
            var consent = await FollowToConsentAsync(browser, s, signedUp);
            Assert.Contains("Web &lt;App&gt;", consent.Html);
            Assert.Equal(["openid", "offline_access"], ScopeCheckbox().Matches(consent.Html).Select(m => m.Groups[1].Value));
            Assert.Contains("value=\"allow\"", consent.Html);
            Assert.Contains("value=\"deny\"", consent.Html);

            var id = await ExchangeAsync(s, await AllowAndGetCodeAsync(browser, consent), verifier);
            Assert.True(Guid.TryParse(id.Subject, out _), "the subject is the hosted user's id: " + id.Subject);
            Assert.Equal(email.ToLowerInvariant(), id.GetClaim("email").Value);

            // A fresh browser session signs in with the same email and password: same user.
            var (verifier2, challenge2) = Pkce.New();
            using var fresh = platform.CreateClient();
            using var signedIn = await SignInAsync(fresh, s, email.ToUpperInvariant(), Password, challenge2);
            var again = await ExchangeAsync(s, await AllowAndGetCodeAsync(fresh, await FollowToConsentAsync(fresh, s, signedIn)), verifier2);
            Assert.Equal(id.Subject, again.Subject);

            // The same email cannot sign up twice in a project.
            var (_, challenge3) = Pkce.New();
            using var third = platform.CreateClient();
            var login3 = await OpenLoginAsync(third, s, challenge3);
            var registration3 = await SignUpPageAsync(third, login3.Page, login3.Html);
            using var duplicate = await HtmlForms.SubmitAsync(third, HtmlForms.Parse(registration3.Page, registration3.Html), ("email", email), ("password", Password));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        }
    }

    [Fact]
    public async Task HostedLogin_WrongPasswordOrUnknownEmail_ShowsTheSameErrorAndNoCode()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        await SignUpAsync(s, email);

        foreach (var (who, password) in new[] { (email, "wrong password"), (NewEmail(), Password) })
        {
            using var browser = platform.CreateClient();
            using var response = await SignInAsync(browser, s, who, password, Pkce.New().Challenge);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Null(response.Headers.Location);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("The email or password is incorrect.", html);
            Assert.DoesNotContain("code=", html);
        }
    }

    [Fact]
    public async Task HostedLogin_AfterFiveFailures_RefusesEvenTheRightPassword()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        await SignUpAsync(s, email);
        using var browser = platform.CreateClient();
        var login = await OpenLoginAsync(browser, s, Pkce.New().Challenge);
        var form = HtmlForms.Parse(login.Page, login.Html);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", "wrong password"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }
        using var refused = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", Password));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Null(refused.Headers.Location);
    }

    [Fact]
    public async Task HostedLogin_PostWithoutAntiforgeryToken_IsRefused()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        await SignUpAsync(s, email);
        using var browser = platform.CreateClient();
        var login = await OpenLoginAsync(browser, s, Pkce.New().Challenge);
        var form = HtmlForms.Parse(login.Page, login.Html);
        var withoutToken = form with { Fields = form.Fields.Where(f => f.Key == "login_challenge").ToDictionary() };

        using var response = await HtmlForms.SubmitAsync(browser, withoutToken, ("email", email), ("password", Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task HostedLogin_UserOfProjectA_CannotSignInAtProjectB()
    {
        var a = await SetupAsync("hosted-a");
        var b = await SetupAsync("hosted-b");
        var email = NewEmail();
        await SignUpAsync(a, email);
        using var browser = platform.CreateClient();

        using var response = await SignInAsync(browser, b, email, Password, Pkce.New().Challenge);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("The email or password is incorrect.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HostedConsent_Deny_SendsTheBrowserBackWithAccessDenied()
    {
        var s = await SetupAsync();
        var email = NewEmail();
        await SignUpAsync(s, email);
        using var browser = platform.CreateClient();
        using var signedIn = await SignInAsync(browser, s, email, Password, Pkce.New().Challenge);
        var consent = await FollowToConsentAsync(browser, s, signedIn);

        using var denied = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(consent.Page, consent.Html), ("action", "deny"));

        // Back through the authorization endpoint, which writes the error response (response mode, state, iss).
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith(s.Project.Issuer + "/oauth2/auth?", denied.Headers.Location!.ToString());
        using var error = await browser.GetAsync(denied.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, error.StatusCode);
        var location = error.Headers.Location!.ToString();
        Assert.StartsWith(RedirectUri + "?error=access_denied", location);
        Assert.Contains("iss=" + Uri.EscapeDataString(s.Project.Issuer), location);
        Assert.Contains("state=state-123", location);
        Assert.DoesNotContain("code=", location);
    }

    [Fact]
    public async Task HostedLogin_UnknownOrHandledChallenge_ShowsAFriendlyErrorPage()
    {
        var s = await SetupAsync();
        using var browser = platform.CreateClient();

        using var unknown = await browser.GetAsync(s.Project.Issuer + "/ui/login?login_challenge=not-a-challenge");
        using var missing = await browser.GetAsync(s.Project.Issuer + "/ui/consent");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("text/html", unknown.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var email = NewEmail();
        await SignUpAsync(s, email);
        var login = await OpenLoginAsync(browser, s, Pkce.New().Challenge);
        using var accepted = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(login.Page, login.Html), ("email", email), ("password", Password));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        using var handled = await browser.GetAsync(login.Page);
        Assert.Equal(HttpStatusCode.Gone, handled.StatusCode);
        Assert.Contains("already", await handled.Content.ReadAsStringAsync());
    }
}
