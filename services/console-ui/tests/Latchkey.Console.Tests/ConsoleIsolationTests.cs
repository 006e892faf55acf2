using Microsoft.Playwright;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>A console session of workspace W never shows or changes another workspace's projects.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleIsolationTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Session_OfOneWorkspace_NeverShowsOrChangesAnotherWorkspacesProject()
    {
        var otherKey = await fixture.AccountKeyAsync(Pages.NewEmail("other"), Pages.Password);
        var other = fixture.Client(otherKey);
        var theirs = await other.CreateProjectAsync("Their secret project", CancellationToken.None);
        await other.CreateOAuth2ClientAsync(theirs.Slug, new Client.OAuth2Client { ClientName = "their-client", GrantTypes = ["client_credentials"] }, CancellationToken.None);

        var page = await fixture.NewPageAsync();
        await Pages.SignUpAsync(page, Pages.NewEmail("mine"));
        await Pages.CreateProjectAsync(page, "My own project");
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "My own project" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText("Their secret project").CountAsync());
        Assert.Equal(0, await page.GetByText(theirs.Slug).CountAsync());

        foreach (var path in new[] { "", "/clients", "/settings", "/api-keys", "/keys", "/usage", "/ops", "/delete" })
        {
            var response = await page.GotoAsync($"/projects/{theirs.Id}{path}");
            Assert.Equal(404, response!.Status);
            Assert.Equal(0, await page.GetByText("Their secret project").CountAsync());
        }
        await fixture.ScreenshotAsync(page, "30-other-workspace-404");

        // Forged form posts against their project change nothing.
        await page.GotoAsync("/");
        var token = await page.Locator("input[name='__RequestVerificationToken']").First.InputValueAsync();
        // Sent from the page itself (the browser resolves *.localhost), with this session's cookies and a valid token.
        const string Post = "async ([url, body]) => (await fetch(url, { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' })).status";
        Assert.Equal(404, await page.EvaluateAsync<int>(Post, new object[]
        {
            $"/projects/{theirs.Id}/delete",
            new Dictionary<string, string> { ["Confirmation"] = theirs.Name, ["__RequestVerificationToken"] = token },
        }));
        Assert.Equal(404, await page.EvaluateAsync<int>(Post, new object[]
        {
            $"/projects/{theirs.Id}/settings",
            new Dictionary<string, string> { ["ttl_access_token"] = "5m", ["__RequestVerificationToken"] = token },
        }));

        var after = await other.GetProjectAsync(theirs.Id, CancellationToken.None);
        Assert.Equal("running", after.State);
        Assert.Equal("1h", after.Services?.OAuth2?.Config?["ttl"]?["access_token"]?.GetValue<string>());
    }
}
