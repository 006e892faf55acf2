using System.Net;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>The hosted login's limit on failed sign-ins holds under a concurrent burst (issue 8, item 8) and across replicas (issue 10, item 4).</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class HostedLoginRaceTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string Password = "correct horse battery";
    readonly Api _api = new(platform);

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    async Task<(Uri Page, string Html)> LoginPageAsync(HttpClient browser, TestProject project, TestClient client)
    {
        var url = new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(clientId: client.Id, responseType: "code", scope: "openid",
            redirectUri: RedirectUri, state: "s", nonce: "n", codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256");
        using var start = await browser.GetAsync(url);
        using var page = await browser.GetAsync(start.Headers.Location);
        return (start.Headers.Location!, await page.Content.ReadAsStringAsync());
    }

    async Task<(TestProject Project, TestClient Client, string Email)> SignedUpUserAsync(string name)
    {
        var project = await _api.CreateProjectAsync(name);
        var client = await _api.CreateClientAsync(project, $$"""
            {"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid"}
            """);
        var email = $"race-{Guid.NewGuid():N}@example.com";
        using var signUp = platform.CreateClient();
        var login = await LoginPageAsync(signUp, project, client);
        var registrationUrl = new Uri(login.Page, WebUtility.HtmlDecode(RegistrationLink().Match(login.Html).Groups[1].Value));
        using var registration = await signUp.GetAsync(registrationUrl);
        using var created = await HtmlForms.SubmitAsync(signUp, HtmlForms.Parse(registrationUrl, await registration.Content.ReadAsStringAsync()), ("email", email), ("password", Password));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return (project, client, email);
    }

    [Fact]
    public async Task WrongPasswordsSplitAcrossTwoOAuth2Replicas_LockTheAccountOnBoth()
    {
        var replica = await platform.StartOAuth2ReplicaAsync();
        var (project, client, email) = await SignedUpUserAsync("hosted-replicas");
        var cookies = new System.Net.CookieContainer();
        using var viaGateway = platform.CreateClient(cookies: cookies);
        using var viaReplica = platform.CreateClient(cookies: cookies, port: replica);
        var page = await LoginPageAsync(viaGateway, project, client);
        var form = HtmlForms.Parse(page.Page, page.Html);

        // Five failures, alternating replicas: one count, not one per replica.
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await HtmlForms.SubmitAsync(i % 2 == 0 ? viaGateway : viaReplica, form, ("email", email), ("password", "wrong password"));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }
        foreach (var browser in new[] { viaReplica, viaGateway })
        {
            using var right = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", Password));
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        }
    }

    [Fact]
    public async Task ConcurrentWrongPasswords_AreCountedExactly_AndTheRightOneInTheBurstIsRefused()
    {
        var (project, client, email) = await SignedUpUserAsync("hosted-race");

        using var browser = platform.CreateClient();
        var page = await LoginPageAsync(browser, project, client);
        var form = HtmlForms.Parse(page.Page, page.Html);
        const int Burst = 40;
        var finished = 0;
        var fiveDone = new TaskCompletionSource();
        var wrong = Enumerable.Range(0, Burst).Select(async _ =>
        {
            using var response = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", "wrong password"));
            if (Interlocked.Increment(ref finished) == 5) fiveDone.TrySetResult();
            return response.StatusCode;
        }).ToList();
        // At least five wrong attempts have been counted; the rest of the burst is still in flight.
        await fiveDone.Task;
        using var right = await HtmlForms.SubmitAsync(browser, form, ("email", email), ("password", Password));
        var statuses = await Task.WhenAll(wrong);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Null(right.Headers.Location);
        // Five attempts per window reach the password check; every other one is refused unchecked.
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(Burst - 5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        await using var db = NpgsqlDataSource.Create(platform.DatabaseUrl);
        await using var count = db.CreateCommand("select attempts from oauth2.hosted_login_failures where scope = $1 and key = $2");
        count.Parameters.AddWithValue(Guid.Parse(project.Id).ToString("N"));
        count.Parameters.AddWithValue(email);
        Assert.Equal(Burst + 1, (int)(await count.ExecuteScalarAsync())!);
    }
}
