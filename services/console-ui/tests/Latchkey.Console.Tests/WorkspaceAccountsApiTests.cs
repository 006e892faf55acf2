using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>
/// The workspace's accounts over the control plane API: who may add one (a workspace API key, or a console session
/// whose owner re-enters the password, never the session alone), listing, and deleting.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class WorkspaceAccountsApiTests(ConsoleFixture fixture)
{
    readonly HttpClient _http = fixture.Platform.CreateClient();

    [Fact]
    public async Task AddAccount_WithSessionKeyAlone_Returns403AndCreatesNothing()
    {
        // Before: any 12-hour session key could mint a permanent account in its workspace.
        var session = await fixture.AccountKeyAsync(Pages.NewEmail("owner"), Pages.Password);
        var email = Pages.NewEmail("minted");
        using var response = await SendAsync(HttpMethod.Post, "/accounts", session, new { email, password = Pages.Password });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(403, await CodeAsync(response));
        Assert.Contains("current_password", await ReasonAsync(response), StringComparison.Ordinal);
        using var signIn = await _http.PostAsJsonAsync(fixture.Platform.Api("/accounts/sessions"), new { email, password = Pages.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task AddAccount_WithSessionKeyAndWrongOwnerPassword_Returns403()
    {
        var session = await fixture.AccountKeyAsync(Pages.NewEmail("owner"), Pages.Password);
        using var response = await SendAsync(HttpMethod.Post, "/accounts", session,
            new { email = Pages.NewEmail("minted"), password = Pages.Password, current_password = "not my password" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("current_password", await ReasonAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAccount_WrongOwnerPasswordsAreThrottledLikeSignIns()
    {
        var owner = Pages.NewEmail("owner");
        var session = await fixture.AccountKeyAsync(owner, Pages.Password);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SendAsync(HttpMethod.Post, "/accounts", session,
                new { email = Pages.NewEmail("minted"), password = Pages.Password, current_password = "guess " + i });
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }
        using var throttled = await SendAsync(HttpMethod.Post, "/accounts", session,
            new { email = Pages.NewEmail("minted"), password = Pages.Password, current_password = Pages.Password });
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.True(throttled.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task AddAccount_WithSessionKeyAndOwnerPassword_JoinsTheWorkspace_AndListNamesBothWithoutHashes()
    {
        var owner = Pages.NewEmail("owner");
        var session = await fixture.AccountKeyAsync(owner, Pages.Password);
        var project = await fixture.Client(session).CreateProjectAsync("shared", CancellationToken.None);
        var member = Pages.NewEmail("member");
        using (var added = await SendAsync(HttpMethod.Post, "/accounts", session, new { email = member, password = "member password", current_password = Pages.Password }))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var memberKey = await SignInAsync(member, "member password");
        Assert.Contains(await fixture.Client(memberKey).ListProjectsAsync(CancellationToken.None), p => p.Id == project.Id);

        using var list = await SendAsync(HttpMethod.Get, "/accounts", memberKey);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var text = await list.Content.ReadAsStringAsync();
        var emails = JsonNode.Parse(text)!.AsArray().Select(a => a!["email"]!.GetValue<string>()).ToList();
        Assert.Equal([owner, member], emails);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pbkdf2", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ListAccounts_WithoutKey_Returns401InOrysEnvelope()
    {
        using var response = await _http.GetAsync(fixture.Platform.Api("/accounts"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, await CodeAsync(response));
    }

    [Fact]
    public async Task DeleteAccount_EndsItsSessions_AndTheLastAccountCannotBeDeleted()
    {
        var owner = Pages.NewEmail("owner");
        var ownerKey = await fixture.AccountKeyAsync(owner, Pages.Password);
        var member = Pages.NewEmail("member");
        using (var added = await SendAsync(HttpMethod.Post, "/accounts", ownerKey, new { email = member, password = Pages.Password, current_password = Pages.Password }))
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var memberKey = await SignInAsync(member, Pages.Password);
        using (var before = await SendAsync(HttpMethod.Get, "/projects", memberKey)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        using (var deleted = await SendAsync(HttpMethod.Delete, "/accounts/" + Uri.EscapeDataString(member), ownerKey))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var after = await SendAsync(HttpMethod.Get, "/projects", memberKey)) Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using (var signIn = await _http.PostAsJsonAsync(fixture.Platform.Api("/accounts/sessions"), new { email = member, password = Pages.Password }))
            Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

        using var last = await SendAsync(HttpMethod.Delete, "/accounts/" + Uri.EscapeDataString(owner), ownerKey);
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Equal(409, await CodeAsync(last));
        using (var still = await SendAsync(HttpMethod.Get, "/projects", ownerKey)) Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task DeleteAccount_OfAnotherWorkspace_Returns404()
    {
        var stranger = Pages.NewEmail("stranger");
        await fixture.AccountKeyAsync(stranger, Pages.Password);
        var key = await fixture.AccountKeyAsync(Pages.NewEmail("attacker"), Pages.Password);
        using var response = await SendAsync(HttpMethod.Delete, "/accounts/" + Uri.EscapeDataString(stranger), key);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, await CodeAsync(response));
        await SignInAsync(stranger, Pages.Password);
    }

    async Task<string> SignInAsync(string email, string password)
    {
        using var response = await _http.PostAsJsonAsync(fixture.Platform.Api("/accounts/sessions"), new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["value"]!.GetValue<string>();
    }

    Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        var request = new HttpRequestMessage(method, fixture.Platform.Api(path));
        if (body is not null) request.Content = JsonContent.Create(body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return _http.SendAsync(request);
    }

    static async Task<int> CodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<int>();

    static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["reason"]!.GetValue<string>();
}
