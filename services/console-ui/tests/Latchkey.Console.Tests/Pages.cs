using Microsoft.Playwright;

namespace Latchkey.Console.Tests;

/// <summary>Steps the tests share, done the way a user does them: through the console's forms.</summary>
internal static class Pages
{
    public const string Password = "correct horse battery";

    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    public static async Task SignUpAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/sign-up");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-up", StringComparison.Ordinal));
    }

    public static async Task SignInAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Creates a project from the projects page; answers its id, slug and issuer as the overview shows them.</summary>
    public static async Task<(string Id, string Slug, string Issuer)> CreateProjectAsync(IPage page, string name)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Project name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.WaitForURLAsync("**/projects/*?created=1");
        return (
            (await page.Locator("#project-id").TextContentAsync())!.Trim(),
            (await page.Locator("#slug").TextContentAsync())!.Trim(),
            (await page.Locator("#issuer").TextContentAsync())!.Trim());
    }
}
