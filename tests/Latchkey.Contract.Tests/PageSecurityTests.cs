using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The HTML the oauth2 service serves on a project's host: hosted pages and OpenIddict's form_post page carry
/// a strict Content-Security-Policy (scripts and styles only by hash, no framing, forms only to where the flow
/// goes), nosniff and no-referrer; the consent page names the account only to the browser that signed in.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PageSecurityTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string Password = "correct horse battery";
    readonly Api _api = new(platform);

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptElement();

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    static string Hash(string inline) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)))}'";

    static Dictionary<string, string> Directives(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), "no Content-Security-Policy");
        return values.Single().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Contains(' ', StringComparison.Ordinal) ? d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..] : "");
    }

    async Task<(TestProject Project, TestClient Client)> SetupAsync()
    {
        var project = await _api.CreateProjectAsync("pages");
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"web","grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid"}
            """);
        return (project, client);
    }

    static string AuthorizeUrl(TestProject project, TestClient client, string? responseMode = null, string? prompt = null) =>
        new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(clientId: client.Id, responseType: "code", scope: "openid",
            redirectUri: RedirectUri, state: "s", nonce: "n", codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256", responseMode: responseMode, prompt: prompt);

    [Fact]
    public async Task FormPostResponse_AllowsOnlyItsOwnScript_AndPostsOnlyToTheRedirectUri()
    {
        var (project, client) = await SetupAsync();

        // prompt=none without a session: OpenIddict's own page form-posts login_required to the client.
        using var response = await _api.Http.GetAsync(AuthorizeUrl(project, client, "form_post", "none"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("login_required", html);
        var csp = Directives(response);
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal(Hash(ScriptElement().Match(html).Groups[1].Value), csp["script-src"]);
        Assert.Equal(RedirectUri, csp["form-action"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["base-uri"]);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task HostedLoginPage_HasAStrictPolicy_Nosniff_AndNoReferrer()
    {
        var (project, client) = await SetupAsync();
        using var browser = platform.CreateClient();
        using var start = await browser.GetAsync(AuthorizeUrl(project, client));
        using var page = await browser.GetAsync(start.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = Directives(page);
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal(Hash(StyleElement().Match(html).Groups[1].Value), csp["style-src"]);
        Assert.False(csp.ContainsKey("script-src"), "hosted pages run no script");
        // The login's redirects end at the client: browsers hold them to form-action too.
        Assert.Equal($"'self' {RedirectUri}", csp["form-action"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["base-uri"]);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        using var error = await browser.GetAsync(project.Issuer + "/ui/consent?consent_challenge=unknown");
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("'none'", Directives(error)["frame-ancestors"]);
        Assert.Equal("nosniff", error.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task HostedConsentPage_ShowsTheEmail_OnlyToTheBrowserThatSignedIn()
    {
        var (project, client) = await SetupAsync();
        var email = $"consent-{Guid.NewGuid():N}@example.com";
        using var browser = platform.CreateClient();
        using var start = await browser.GetAsync(AuthorizeUrl(project, client));
        using var login = await browser.GetAsync(start.Headers.Location);
        var link = RegistrationLink().Match(await login.Content.ReadAsStringAsync());
        var registrationUrl = new Uri(start.Headers.Location!, WebUtility.HtmlDecode(link.Groups[1].Value));
        using var registration = await browser.GetAsync(registrationUrl);
        using var signedUp = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(registrationUrl, await registration.Content.ReadAsStringAsync()), ("email", email), ("password", Password));
        using var back = await browser.GetAsync(signedUp.Headers.Location);
        var consentUrl = back.Headers.Location!;
        Assert.Contains("/ui/consent?consent_challenge=", consentUrl.ToString());

        using var own = await browser.GetAsync(consentUrl);
        Assert.Contains(email, await own.Content.ReadAsStringAsync());

        // Anyone else holding the challenge (a leaked URL) sees the consent screen but not whose account it is.
        using var stranger = platform.CreateClient();
        using var other = await stranger.GetAsync(consentUrl);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.DoesNotContain(email, await other.Content.ReadAsStringAsync());
        Assert.Equal($"'self' {RedirectUri}", Directives(other)["form-action"]);
    }
}
