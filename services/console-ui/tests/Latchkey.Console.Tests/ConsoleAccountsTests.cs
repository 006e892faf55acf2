using Microsoft.Playwright;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>The workspace's accounts page, in a browser: list, add with the owner's password, delete.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAccountsTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Accounts_AddNeedsYourPassword_DeleteEndsTheAccount()
    {
        var page = await fixture.NewPageAsync();
        var owner = Pages.NewEmail("owner");
        await Pages.SignUpAsync(page, owner);
        await page.GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Accounts" });
        await Assertions.Expect(table).ToContainTextAsync(owner);
        // The only account has no delete button.
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Delete " + owner }).CountAsync());

        var member = Pages.NewEmail("member");
        await page.GetByLabel("New account's email").FillAsync(member);
        await page.GetByLabel("New account's password").FillAsync("member password");
        await page.GetByLabel("Your password").FillAsync("not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.CurrentPassword']")).ToContainTextAsync("That is not your password.");
        await Assertions.Expect(table).Not.ToContainTextAsync(member);

        await page.GetByLabel("New account's email").FillAsync(member);
        await page.GetByLabel("New account's password").FillAsync("member password");
        await page.GetByLabel("Your password").FillAsync(Pages.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Added {member}.")).ToBeVisibleAsync();
        await Assertions.Expect(table).ToContainTextAsync(member);
        await fixture.ScreenshotAsync(page, "40-accounts");

        // The forms are CSRF-protected: the same delete without the form's token is refused.
        var forged = await page.EvaluateAsync<int>(
            "url => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }).then(r => r.status)",
            $"/accounts?handler=Delete&email={Uri.EscapeDataString(member)}");
        Assert.Equal(400, forged);
        await page.ReloadAsync();
        await Assertions.Expect(table).ToContainTextAsync(member);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete " + member }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Deleted {member}.")).ToBeVisibleAsync();
        await Assertions.Expect(table).Not.ToContainTextAsync(member);

        var memberPage = await fixture.NewPageAsync();
        await Pages.SignInAsync(memberPage, member, "member password");
        await Assertions.Expect(memberPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("The email address or password is incorrect.");
    }
}
