using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>A new user, in a real browser: sign up, create a project and a client, get a token, see it counted.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleJourneyTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SignUp_CreateProjectClientAndToken_EveryPageWorks()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "01-sign-in");
        await page.GotoAsync("/sign-up");
        await fixture.ScreenshotAsync(page, "02-sign-up");

        await Pages.SignUpAsync(page, Pages.NewEmail("journey"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No projects yet" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "03-projects-empty");

        var (projectId, slug, issuer) = await Pages.CreateProjectAsync(page, "Storefront");
        Assert.Equal(fixture.Platform.IssuerOf(slug), issuer);
        await Assertions.Expect(page.Locator("#cli")).ToContainTextAsync($"LATCHKEY_PROJECT={slug}");
        await Assertions.Expect(page.Locator("#curl")).ToContainTextAsync($"ISSUER={issuer}");
        await fixture.ScreenshotAsync(page, "04-project-overview");

        // OAuth2 clients: empty, create (secret shown once), list, edit.
        await page.GetByRole(AriaRole.Link, new() { Name = "Clients", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("No OAuth2 clients yet")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "05-clients-empty");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create client" }).First.ClickAsync();
        await page.GetByLabel("Client name").FillAsync("backend");
        await page.GetByLabel("Scope").FillAsync("read write");
        await page.GetByLabel("Audience").FillAsync("https://api.example.com");
        await fixture.ScreenshotAsync(page, "06-client-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
        var clientId = (await page.Locator("#client-id").TextContentAsync())!.Trim();
        var secret = (await page.Locator("#client-secret").TextContentAsync())!.Trim();
        Assert.NotEmpty(secret);
        await fixture.ScreenshotAsync(page, "07-client-created");

        var accessToken = await ClientCredentialsTokenAsync(issuer, clientId, secret);
        Assert.StartsWith("lk_at_", accessToken, StringComparison.Ordinal);

        await page.GotoAsync($"/projects/{projectId}/clients");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = clientId })).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByText(secret).CountAsync());
        await fixture.ScreenshotAsync(page, "08-clients");
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Scope")).ToHaveValueAsync("read write");
        await page.GetByLabel("Client name").FillAsync("backend service");
        await page.GetByLabel("Redirect URIs").FillAsync("https://app.example.com/callback");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Authorization code" }).CheckAsync();
        await page.GetByLabel("Back-channel logout URI").FillAsync("https://api.example.com/backchannel-logout");
        await page.GetByLabel("Front-channel logout URI").FillAsync("https://app.example.com/frontchannel-logout");
        await page.GetByLabel("Requires iss and sid").CheckAsync();
        await fixture.ScreenshotAsync(page, "09-client-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Saved client {clientId}.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "backend service" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Redirect URIs")).ToHaveValueAsync("https://app.example.com/callback");
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Authorization code" })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Back-channel logout URI")).ToHaveValueAsync("https://api.example.com/backchannel-logout");
        await Assertions.Expect(page.GetByLabel("Front-channel logout URI")).ToHaveValueAsync("https://app.example.com/frontchannel-logout");
        await Assertions.Expect(page.GetByLabel("Requires iss and sid")).ToBeCheckedAsync();

        // Project API keys: the value once, then only its last characters; revoke.
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).First.ClickAsync();
        await Assertions.Expect(page.GetByText("No API keys yet")).ToBeVisibleAsync();
        await page.GetByLabel("Key name").FillAsync("ci");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();
        var value = (await page.Locator("#new-key").TextContentAsync())!.Trim();
        Assert.StartsWith("lk_pat_", value, StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "10-api-keys");
        var introspection = await fixture.Client().WithProjectApiKey(value).IntrospectAsync(slug, accessToken, CancellationToken.None);
        Assert.True(introspection.Active);
        await page.GotoAsync($"/projects/{projectId}/api-keys");
        Assert.Equal(0, await page.GetByText(value).CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke ci" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Revoked API key “ci”")).ToBeVisibleAsync();

        // Signing keys: the public JWKS, and rotation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Signing keys" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signing keys" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "11-keys");
        var before = await page.Locator("table[aria-label='Public signing keys'] tbody tr").CountAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate ID token signing key" }).ClickAsync();
        await fixture.ScreenshotAsync(page, "12-keys-rotated");
        if (page.Url.Contains("rotated=true", StringComparison.Ordinal))
            Assert.True(await page.Locator("table[aria-label='Public signing keys'] tbody tr").CountAsync() > before);
        else
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("could not be rotated");

        // Usage: the token issued above, once metering has flushed it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
        var counted = false;
        for (var attempt = 0; attempt < 30 && !counted; attempt++)
        {
            if (await page.GetByText("Usage metering is not available").CountAsync() > 0) break;
            counted = await page.Locator("#tokens-total").TextContentAsync() is { } total && total.Trim() != "0";
            if (!counted)
            {
                await Task.Delay(1000);
                await page.ReloadAsync();
            }
        }
        await fixture.ScreenshotAsync(page, "13-usage");
        if (await page.GetByText("Usage metering is not available").CountAsync() == 0)
        {
            Assert.True(counted, "The issued token never showed up in the usage page.");
            await Assertions.Expect(page.Locator("table[aria-label='Usage per day']")).ToContainTextAsync("client_credentials");
            await Assertions.Expect(page.Locator("canvas[data-chart]").First).ToBeVisibleAsync();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Operations" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operations" })).ToBeVisibleAsync();
        // Per endpoint, three Chart.js charts (requests/s, error rate, p99); the token issued above is in the totals.
        await Assertions.Expect(page.Locator("section[data-endpoint] canvas[data-chart]")).ToHaveCountAsync(9);
        await page.WaitForFunctionAsync("() => window.Chart && [...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c) && c.width > 0)");
        if (await page.GetByText("cannot be reached right now").CountAsync() == 0)
            Assert.NotEqual("0", (await page.Locator("table[aria-label='Endpoints over the last hour'] tr:has(code:text-is('/oauth2/token')) td.strong").TextContentAsync())!.Trim());
        await fixture.ScreenshotAsync(page, "14-ops");

        await page.GetByRole(AriaRole.Link, new() { Name = "Usage & billing" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Usage & billing" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "15-workspace-usage");

        // Delete: the confirmation names the project and wants its name typed.
        await page.GotoAsync($"/projects/{projectId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete project" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete project “Storefront”" })).ToBeVisibleAsync();
        await page.GetByLabel("Type the project name").FillAsync("Storefrnt");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete project “Storefront”" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Type “Storefront” exactly")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "16-project-delete");
        await page.GetByLabel("Type the project name").FillAsync("Storefront");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete project “Storefront”" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No projects yet" })).ToBeVisibleAsync();

        // Sign out: back to the sign-in page, and the console is closed again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/sign-in");
        await page.GotoAsync("/");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_ThenCreateAProjectFromTheWelcomePage()
    {
        // Before: the form posted back to /?welcome=1, the bool Welcome could not bind "1", ModelState was
        // invalid and the page came back with no project and no error.
        var page = await fixture.NewPageAsync();
        await Pages.SignUpAsync(page, Pages.NewEmail("welcome"));
        Assert.EndsWith("/?welcome=1", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByText("Welcome to Latchkey.")).ToBeVisibleAsync();

        // An empty name is refused with its reason, not silently.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Give the project a name.")).ToBeVisibleAsync();

        await page.GetByLabel("Project name").FillAsync("First project");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.WaitForURLAsync("**/projects/*?created=1");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "First project" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "30-welcome-project-created");
    }

    [Fact]
    public async Task SignIn_AfterTheSessionEnded_Works()
    {
        // The same binding trap: /sign-in?expired=1 posted back to itself and the bool Expired refused "1".
        var email = Pages.NewEmail("expired");
        await fixture.AccountKeyAsync(email, Pages.Password);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/sign-in?expired=1");
        await Assertions.Expect(page.GetByText("Your session ended.")).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Pages.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("to=0001-01-01")]
    [InlineData("from=9999-12-31&to=9999-12-31")]
    [InlineData("from=1999-01-01&to=2000-12-31")]
    public async Task UsagePages_DatesOutOfRange_AreClampedNotAnError(string query)
    {
        // Before: 0001-01-01 minus 29 days threw (500), and far dates reached the control plane, which refuses them.
        var page = await fixture.NewPageAsync();
        await Pages.SignUpAsync(page, Pages.NewEmail("usage-dates"));
        var (projectId, _, _) = await Pages.CreateProjectAsync(page, "Usage dates");
        var project = await page.GotoAsync($"/projects/{projectId}/usage?{query}");
        Assert.Equal(200, project!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Usage", Exact = true })).ToBeVisibleAsync();
        var workspace = await page.GotoAsync($"/usage?{query}");
        Assert.Equal(200, workspace!.Status);
    }

    async Task<string> ClientCredentialsTokenAsync(string issuer, string clientId, string secret)
    {
        using var http = fixture.Platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, issuer + "/oauth2/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "read")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }
}
