using Microsoft.Playwright;
using Xunit;

namespace Latchkey.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConsoleSettingsTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Settings_SavedValues_RoundTripAndInvalidValueIsShownAtItsField()
    {
        var page = await fixture.NewPageAsync();
        await Pages.SignUpAsync(page, Pages.NewEmail("settings"));
        var (projectId, _, _) = await Pages.CreateProjectAsync(page, "Settings project");

        await page.GotoAsync($"/projects/{projectId}/settings");
        await Assertions.Expect(page.GetByLabel("Access token", new() { Exact = true })).ToHaveValueAsync("1h");
        await page.GetByLabel("Login URL").FillAsync("https://login.example.com/login");
        await page.GetByLabel("Access token", new() { Exact = true }).FillAsync("2h");
        await page.GetByLabel("Access token strategy").SelectOptionAsync("jwt");
        await page.GetByLabel("Require PKCE for every client").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "20-settings-saved");

        // Round trip: a fresh load shows what the control plane stored.
        await page.GotoAsync($"/projects/{projectId}/settings");
        await Assertions.Expect(page.GetByLabel("Login URL")).ToHaveValueAsync("https://login.example.com/login");
        await Assertions.Expect(page.GetByLabel("Access token", new() { Exact = true })).ToHaveValueAsync("2h");
        await Assertions.Expect(page.GetByLabel("Access token strategy")).ToHaveValueAsync("jwt");
        await Assertions.Expect(page.GetByLabel("Require PKCE for every client")).ToBeCheckedAsync();

        // An invalid duration: nothing saved, the control plane's message next to that field.
        await page.GetByLabel("Access token", new() { Exact = true }).FillAsync("forever");
        await page.GetByLabel("Login URL").FillAsync("https://login.example.com/changed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ttl_access_token-error")).ToContainTextAsync("'forever' is not a positive duration");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was saved");
        await fixture.ScreenshotAsync(page, "21-settings-error");

        await page.GotoAsync($"/projects/{projectId}/settings");
        await Assertions.Expect(page.GetByLabel("Access token", new() { Exact = true })).ToHaveValueAsync("2h");
        await Assertions.Expect(page.GetByLabel("Login URL")).ToHaveValueAsync("https://login.example.com/login");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsAnError()
    {
        var email = Pages.NewEmail("wrong-password");
        await fixture.AccountKeyAsync(email, Pages.Password);
        var page = await fixture.NewPageAsync();
        await Pages.SignInAsync(page, email, "not my password");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The email address or password is incorrect.");
        Assert.Contains("/sign-in", page.Url, StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "22-sign-in-wrong-password");

        await Pages.SignInAsync(page, email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignUp_ShortPassword_ShowsTheErrorAtTheField()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/sign-up");
        await page.GetByLabel("Email").FillAsync(Pages.NewEmail("short"));
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Password']")).ToContainTextAsync("at least 8 characters");
    }
}
