using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>The control plane's accounts API, which the console signs in with.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccountsApiTests(ConsoleFixture fixture)
{
    readonly HttpClient _http = fixture.Platform.CreateClient();

    [Fact]
    public async Task SignUp_DuplicateEmail_Returns409()
    {
        var email = Pages.NewEmail("dup");
        Assert.Equal(HttpStatusCode.Created, (await SignUpAsync(email, Pages.Password)).StatusCode);
        var again = await SignUpAsync(email.ToUpperInvariant(), "another password");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task SignUp_ShortPassword_Returns400NamingThePassword()
    {
        var response = await SignUpAsync(Pages.NewEmail("short"), "1234567");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'password'", await ReasonAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongPasswordAndUnknownEmail_AnswerTheSame401()
    {
        var email = Pages.NewEmail("wrong");
        await SignUpAsync(email, Pages.Password);
        var wrongPassword = await SignInAsync(email, "not the password");
        var unknownEmail = await SignInAsync(Pages.NewEmail("nobody"), "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        Assert.Equal(await wrongPassword.Content.ReadAsStringAsync(), await unknownEmail.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_FiveFailures_ThrottlesEvenTheRightPassword()
    {
        var email = Pages.NewEmail("throttle");
        await SignUpAsync(email, Pages.Password);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(email, "guess " + i)).StatusCode);
        var throttled = await SignInAsync(email, Pages.Password);
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.True(throttled.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task SignIn_BurstOfWrongPasswordsThenTheRightOne_RefusesTheRightOneAndCountsEveryAttempt()
    {
        // Before the atomic count, 40 concurrent guesses all read "no failures", all got 401, the right
        // password in the same burst signed in, and the stored count lost most of the updates.
        var email = Pages.NewEmail("burst");
        await SignUpAsync(email, Pages.Password);
        var guesses = Enumerable.Range(0, 40).Select(i => SignInAsync(email, "guess " + i)).ToList();
        await WaitForAttemptsAsync(email, atLeast: 6);
        var right = await SignInAsync(email, Pages.Password);
        var answers = await Task.WhenAll(guesses);

        Assert.Equal((HttpStatusCode)429, right.StatusCode);
        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(35, answers.Count(a => a.StatusCode == (HttpStatusCode)429));
        Assert.Equal(41, await StoredAttemptsAsync(email));
    }

    [Fact]
    public async Task SignIn_Success_ClearsTheCount()
    {
        var email = Pages.NewEmail("clears");
        await SignUpAsync(email, Pages.Password);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(email, "guess " + i)).StatusCode);
        Assert.Equal(3, await StoredAttemptsAsync(email));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(email, Pages.Password)).StatusCode);
        Assert.Equal(0, await StoredAttemptsAsync(email));
    }

    [Fact]
    public async Task SignIn_Session_IsAShortLivedWorkspaceKeyThatSignOutRevokes()
    {
        var email = Pages.NewEmail("session");
        await SignUpAsync(email, Pages.Password);
        var session = JsonNode.Parse(await (await SignInAsync(email, Pages.Password)).Content.ReadAsStringAsync())!;
        var key = session["value"]!.GetValue<string>();
        Assert.StartsWith("lk_wak_", key, StringComparison.Ordinal);
        var expires = DateTimeOffset.Parse(session["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(11), TimeSpan.FromHours(13));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/projects", key)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, "/accounts/sessions/current", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/projects", key)).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithLongLivedWorkspaceKey_Returns400AndKeepsTheKey()
    {
        var response = await SendAsync(HttpMethod.Delete, "/accounts/sessions/current", fixture.Platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/projects", fixture.Platform.WorkspaceKey)).StatusCode);
    }

    [Fact]
    public async Task SignUp_WithWorkspaceKey_JoinsThatWorkspace()
    {
        var project = await fixture.Client(fixture.Platform.WorkspaceKey).CreateProjectAsync("bootstrap-owned", CancellationToken.None);
        var email = Pages.NewEmail("bootstrap");
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Platform.Api("/accounts")) { Content = JsonContent.Create(new { email, password = Pages.Password }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.Created, (await _http.SendAsync(request)).StatusCode);

        var key = JsonNode.Parse(await (await SignInAsync(email, Pages.Password)).Content.ReadAsStringAsync())!["value"]!.GetValue<string>();
        var projects = await fixture.Client(key).ListProjectsAsync(CancellationToken.None);
        Assert.Contains(projects, p => p.Id == project.Id);
    }

    [Fact]
    public async Task SignUp_WithInvalidWorkspaceKey_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Platform.Api("/accounts"))
        {
            Content = JsonContent.Create(new { email = Pages.NewEmail("badkey"), password = Pages.Password }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "lk_wak_not-a-real-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(request)).StatusCode);
    }

    async Task WaitForAttemptsAsync(string email, int atLeast)
    {
        for (var i = 0; i < 600 && await StoredAttemptsAsync(email) < atLeast; i++) await Task.Delay(10);
    }

    async Task<int> StoredAttemptsAsync(string email)
    {
        await using var connection = new NpgsqlConnection(fixture.Platform.DatabaseUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select attempts from latchkey.console_sign_in_failures where scope = '' and key = @email", connection);
        command.Parameters.AddWithValue("email", email);
        return await command.ExecuteScalarAsync() is int attempts ? attempts : 0;
    }

    Task<HttpResponseMessage> SignUpAsync(string email, string password) =>
        _http.PostAsJsonAsync(fixture.Platform.Api("/accounts"), new { email, password });

    Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        _http.PostAsJsonAsync(fixture.Platform.Api("/accounts/sessions"), new { email, password });

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, fixture.Platform.Api(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return _http.SendAsync(request);
    }

    static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["reason"]!.GetValue<string>();
}
