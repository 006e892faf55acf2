using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>
/// What every console response carries (nosniff, no framing), its body cap when reached directly, and Secure
/// cookies whenever the public URL is https even though TLS ends in front of it.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsoleHardeningTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/")]
    [InlineData("/css/console.css")]
    [InlineData("/no-such-page")]
    [InlineData("/error/503")]
    public async Task EveryResponse_SaysNosniffAndRefusesFraming(string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await http.GetAsync(new Uri(fixture.Platform.ConsoleServiceUrl, path));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedForm_PostedStraightToTheConsole_Returns413Page()
    {
        using var http = new HttpClient();
        var form = new FormUrlEncodedContent([new("Input.Email", "ada@example.com"), new("Input.Password", new string('x', 100 * 1024))]);
        using var response = await http.PostAsync(new Uri(fixture.Platform.ConsoleServiceUrl, "/sign-in"), form);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(page.Contains("Error 413", StringComparison.Ordinal), page);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Cookies_OverHttpPublicUrl_AreNotMarkedSecure()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(fixture.Platform.ConsoleServiceUrl, "/sign-in"));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cookies_WithHttpsPublicUrl_AreSecureThoughTheConsoleIsReachedOverHttp()
    {
        // Before: behind TLS termination the console saw http and never set Secure.
        var port = PlatformFixture.FreePort();
        await using var console = ConsoleApp.Build([
            "--LATCHKEY_PUBLIC_URL=https://localhost",
            "--LATCHKEY_DOMAIN=localhost",
            // The key ring is in the platform's database.
            $"--LATCHKEY_DATABASE_URL={fixture.Platform.DatabaseUrl}",
            "--LATCHKEY_SECRETS_SYSTEM=console-https-test-secret-0123456789",
            "--Logging:LogLevel:Default=Warning",
            $"--urls=http://127.0.0.1:{port}",
        ]);
        await console.StartAsync();
        try
        {
            var url = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
            using var form = await http.GetAsync(new Uri(url, "/sign-in"));
            var antiforgery = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
            Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);

            // Signing out writes the auth cookie (an expired one): it carries the auth cookie's own options.
            var token = TokenInput().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
            using var signOut = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/sign-out"))
            {
                Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
            };
            signOut.Headers.Add("Cookie", antiforgery.Split(';')[0]);
            using var signedOut = await http.SendAsync(signOut);
            Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
            var auth = Assert.Single(signedOut.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lk_console=", StringComparison.Ordinal));
            Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
            Assert.All(signedOut.Headers.GetValues("Set-Cookie"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await console.StopAsync();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

}
