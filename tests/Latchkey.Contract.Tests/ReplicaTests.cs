using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>Two processes of every stateless service behind the one gateway: <c>LATCHKEY_REPLICAS=2 make run</c>, in-process.</summary>
public sealed class ReplicaPlatformFixture : IAsyncLifetime
{
    public PlatformFixture Platform { get; } = new() { Replicas = 2 };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

/// <summary>
/// The gateway balances every service over its replicas, round robin, so one user's journey crosses them at every
/// step: nothing a step needs may live in the process that served the step before. A replica that stops is taken out
/// without a failed request.
/// </summary>
public sealed partial class ReplicaTests(ReplicaPlatformFixture fixture) : IClassFixture<ReplicaPlatformFixture>
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string Password = "correct horse battery";
    readonly PlatformFixture _platform = fixture.Platform;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex ConsoleAntiforgery();

    [GeneratedRegex("<code id=\"slug\">([^<]+)</code>")]
    private static partial Regex ConsoleSlug();

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    [Fact]
    public async Task ConsoleSignUpThenHostedSignUpLoginAndConsent_AlternateBetweenReplicas_AndSucceed()
    {
        long[] oauth2Before = [_platform.RequestsServedBy("oauth2", 0), _platform.RequestsServedBy("oauth2", 1)];
        long[] consoleBefore = [_platform.RequestsServedBy("console", 0), _platform.RequestsServedBy("console", 1)];

        // The console: sign up, then create the project, every page and post through the gateway. Each form
        // post reaches the other replica than the page it came from (antiforgery and the auth cookie cross over).
        var email = $"replicas-{Guid.NewGuid():N}@example.com";
        using var console = _platform.CreateClient(cookies: new CookieContainer());
        using var signedUp = await PostConsoleFormAsync(console, "/sign-up", ("Input.Email", email), ("Input.Password", Password));
        Assert.Equal(HttpStatusCode.Redirect, signedUp.StatusCode);
        Assert.Equal("/?welcome=1", signedUp.Headers.Location!.ToString());
        using var created = await PostConsoleFormAsync(console, "/", ("Input.Name", "Replicas"), ("Input.Environment", "dev"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var overview = await console.GetStringAsync(new Uri(_platform.ConsoleUrl, created.Headers.Location!));
        var slug = ConsoleSlug().Match(overview).Groups[1].Value;
        var projectId = created.Headers.Location!.ToString().Split('/', '?')[2];

        // The account's own workspace key makes the project's API key and a web client, over the API.
        var api = new Api(_platform);
        using var session = await api.Http.PostAsJsonAsync(_platform.Api("/accounts/sessions"), new { email, password = Password });
        session.EnsureSuccessStatusCode();
        var accountKey = JsonNode.Parse(await session.Content.ReadAsStringAsync())!["value"]!.GetValue<string>();
        var (keyStatus, key) = await api.SendAsync(HttpMethod.Post, _platform.Api($"/projects/{projectId}/tokens"), accountKey, JsonContent.Create(new { name = "replicas" }));
        Assert.Equal(HttpStatusCode.Created, keyStatus);
        var project = new TestProject(projectId, slug, _platform.IssuerOf(slug), key!["value"]!.GetValue<string>());
        var client = await api.CreateClientAsync(project, $$"""
            {"client_name":"Web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access"}
            """);

        // The project's hosted pages: sign up and consent, then sign in again in a fresh browser and consent.
        using var browser = _platform.CreateClient(cookies: new CookieContainer());
        var subject = await HostedJourneyAsync(browser, project, client, signUp: true, email);
        using var freshBrowser = _platform.CreateClient(cookies: new CookieContainer());
        Assert.Equal(subject, await HostedJourneyAsync(freshBrowser, project, client, signUp: false, email));

        // Round robin: each replica served its half of each service's requests (give or take the odd one).
        AssertSpread("oauth2", oauth2Before);
        AssertSpread("console", consoleBefore);
    }

    [Fact]
    public async Task StoppedReplica_IsTakenOut_AndEveryRequestStillSucceeds()
    {
        using var http = _platform.CreateClient();
        async Task<HttpStatusCode> ListProjectsAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _platform.Api("/projects"));
            request.Headers.Authorization = new("Bearer", _platform.WorkspaceKey);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        long before = _platform.RequestsServedBy("control-plane", 1);
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, await ListProjectsAsync());
        Assert.True(_platform.RequestsServedBy("control-plane", 1) > before, "both replicas take requests while both run");

        // Before: one destination per service; a stopped one answered 502 to its share until the active check noticed.
        await _platform.StopReplicaAsync("control-plane", 1);
        var survivor = _platform.RequestsServedBy("control-plane", 0);
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, await ListProjectsAsync());
        Assert.Equal(survivor + 20, _platform.RequestsServedBy("control-plane", 0));
    }

    void AssertSpread(string service, long[] before)
    {
        long first = _platform.RequestsServedBy(service, 0) - before[0], second = _platform.RequestsServedBy(service, 1) - before[1];
        Assert.True(first > 0 && second > 0, $"{service}: both replicas served requests ({first} and {second})");
        Assert.True(Math.Abs(first - second) <= 2, $"{service}: requests alternate between the replicas ({first} and {second})");
    }

    async Task<HttpResponseMessage> PostConsoleFormAsync(HttpClient console, string path, params (string Name, string Value)[] values)
    {
        var page = new Uri(_platform.ConsoleUrl, path);
        var html = await console.GetStringAsync(page);
        var token = ConsoleAntiforgery().Match(html);
        Assert.True(token.Success, $"{path} has a form with an antiforgery token");
        return await console.PostAsync(page, new FormUrlEncodedContent(
            values.Select(v => KeyValuePair.Create(v.Name, v.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)))));
    }

    /// <summary>Authorize → hosted login (or sign-up) → consent → code → tokens; answers the ID token's subject.</summary>
    async Task<string> HostedJourneyAsync(HttpClient browser, TestProject project, TestClient client, bool signUp, string email)
    {
        var (verifier, challenge) = Pkce.New();
        var authorize = new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: challenge, codeChallengeMethod: "S256");
        using var start = await browser.GetAsync(authorize);
        var loginPage = start.Headers.Location!;
        var page = loginPage;
        var html = await browser.GetStringAsync(loginPage);
        if (signUp)
        {
            page = new Uri(loginPage, WebUtility.HtmlDecode(RegistrationLink().Match(html).Groups[1].Value));
            html = await browser.GetStringAsync(page);
        }
        using var accepted = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(page, html), ("email", email), ("password", Password));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        using var back = await browser.GetAsync(accepted.Headers.Location);
        var consentPage = back.Headers.Location!;
        Assert.StartsWith(project.Issuer + "/ui/consent?", consentPage.ToString());
        var consent = HtmlForms.Parse(consentPage, await browser.GetStringAsync(consentPage));
        using var allowed = await HtmlForms.SubmitAsync(browser, consent, ("grant_scope", "openid"), ("grant_scope", "offline_access"), ("action", "allow"));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        using var callback = await browser.GetAsync(allowed.Headers.Location);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Headers.Location!.Query)["code"];
        Assert.StartsWith("lk_ac_", code);

        using var http = _platform.CreateClient();
        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = code!,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        return (await Oidc.ValidIdTokenAsync(http, project.Issuer, client.Id, tokens.IdentityToken)).Subject;
    }
}
