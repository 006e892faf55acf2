using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Client;
using Latchkey.Testing;
using Microsoft.Playwright;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>
/// The whole platform (with the console) plus Debian's Chromium driven by Playwright. Playwright's own
/// browser download is not available here, so the system browser is launched by path
/// (<c>LATCHKEY_TEST_CHROMIUM</c>, default <c>/usr/bin/chromium</c>).
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    IPlaywright? _playwright;

    public PlatformFixture Platform { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public Uri ConsoleUrl => Platform.ConsoleUrl;

    public string ScreenshotDirectory { get; } = FindScreenshotDirectory();

    public async Task InitializeAsync()
    {
        await Platform.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("LATCHKEY_TEST_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = ConsoleUrl.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        // Generous: on a 2-core CI machine the first sign-up also pays every service's cold start.
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page screenshot as a test artifact: <c>.local/test-results/screenshots/&lt;name&gt;.png</c>.</summary>
    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>A typed client over the gateway; with a key, it acts for that workspace.</summary>
    public LatchkeyClient Client(string? workspaceKey = null) =>
        new(Platform.CreateClient(), Platform.PublicUrl) { WorkspaceKey = workspaceKey };

    /// <summary>Creates an account over the API and signs it in: the session's workspace key.</summary>
    public async Task<string> AccountKeyAsync(string email, string password)
    {
        using var http = Platform.CreateClient();
        using (var created = await http.PostAsJsonAsync(Platform.Api("/accounts"), new { email, password }))
            created.EnsureSuccessStatusCode();
        using var session = await http.PostAsJsonAsync(Platform.Api("/accounts/sessions"), new { email, password });
        session.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await session.Content.ReadAsStringAsync())!;
        return body["value"]!.GetValue<string>();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Platform.DisposeAsync();
    }

    static string FindScreenshotDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) directory = directory.Parent;
        var root = directory?.FullName ?? Path.GetTempPath();
        var path = Path.Combine(root, ".local", "test-results", "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }
}
