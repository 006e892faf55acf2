using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
