using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Xunit;

namespace Latchkey.Console.Tests;

/// <summary>The trust relationships page: the jwt-bearer grant's trusted issuers, added and deleted through the console's forms.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTrustTests(ConsoleFixture fixture)
{
    const string TrustPath = "/admin/trust/grants/jwt-bearer/issuers";

    [Fact]
    public async Task TrustPage_AddListDelete_AndBadKeysAreShownAtTheField()
    {
        var page = await fixture.NewPageAsync();
        var email = Pages.NewEmail("trust");
        await Pages.SignUpAsync(page, email);
        var (projectId, slug, _) = await Pages.CreateProjectAsync(page, "Trust project");
        var key = await SessionKeyAsync(email);

        await page.GetByRole(AriaRole.Link, new() { Name = "Trust relationships" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Trust relationships" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No trusted issuers yet")).ToBeVisibleAsync();
        Assert.Equal(1, await page.Locator("form:has(button:text('Add trusted issuer')) input[name=__RequestVerificationToken]").CountAsync());

        // A key that is not JSON: the console says so at the field, and sends nothing.
        await FillAsync(page, "https://idp.example.com", "service-account@example.com", "read write", "{\"kty\": \"RSA\",", "2030-01-31T12:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add trusted issuer" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Jwk']")).ToContainTextAsync("not valid JSON");
        await Assertions.Expect(page.GetByLabel("Issuer", new() { Exact = true })).ToHaveValueAsync("https://idp.example.com");

        // JSON, but a shared secret: the trust API's reason, at the same field.
        await page.GetByLabel("Public key (JWK)").FillAsync("{\"kty\": \"oct\", \"kid\": \"shared\", \"k\": \"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0\"}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add trusted issuer" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Jwk']")).ToContainTextAsync("must be a public JSON Web Key");
        await fixture.ScreenshotAsync(page, "40-trust-bad-key");

        // Both a subject and "any subject": the API's reason next to the subject.
        await page.GetByLabel("Public key (JWK)").FillAsync(PublicJwk("idp-key-1").ToJsonString());
        await page.GetByLabel("Allow any subject").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add trusted issuer" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Subject']")).ToContainTextAsync("cannot be set at the same time");
        Assert.Empty(await ListAsync(key, slug));

        await page.GetByLabel("Allow any subject").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add trusted issuer" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Trusted issuer “https://idp.example.com” added.")).ToBeVisibleAsync();
        var row = page.Locator("table[aria-label='Trusted issuers'] tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("service-account@example.com");
        await Assertions.Expect(row).ToContainTextAsync("read");
        await Assertions.Expect(row).ToContainTextAsync("idp-key-1");
        await Assertions.Expect(row).ToContainTextAsync("2030-01-31 12:00");
        await fixture.ScreenshotAsync(page, "41-trust-listed");

        // The admin API holds what the form sent.
        var stored = Assert.Single(await ListAsync(key, slug));
        Assert.Equal("https://idp.example.com", stored["issuer"]!.GetValue<string>());
        Assert.Equal("service-account@example.com", stored["subject"]!.GetValue<string>());
        Assert.False(stored["allow_any_subject"]!.GetValue<bool>());
        Assert.Equal(["read", "write"], stored["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("idp-key-1", stored["public_key"]!["kid"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2030, 1, 31, 12, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(stored["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        // The same issuer, subject and key again: the API's conflict, at the top of the form.
        await FillAsync(page, "https://idp.example.com", "service-account@example.com", "read", PublicJwk("idp-key-1").ToJsonString(), "2030-01-31T12:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add trusted issuer" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-form-errors]")).ToContainTextAsync("already exists");

        // Any subject, listed as such.
        await FillAsync(page, "https://ci.example.com", "", "", PublicJwk("ci-key").ToJsonString(), "2031-06-01T00:00");
        await page.GetByLabel("Allow any subject").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add trusted issuer" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Trusted issuer “https://ci.example.com” added.")).ToBeVisibleAsync();
        await Assertions.Expect(row.Filter(new() { HasText = "https://ci.example.com" })).ToContainTextAsync("any subject");

        // A post without the antiforgery token is refused, even with the session cookie.
        var forged = await page.EvaluateAsync<int>(
            "async ([url, jwk]) => (await fetch(url, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ " +
            "'Input.Issuer': 'https://forged.example.com', 'Input.Subject': 'x', 'Input.Jwk': jwk, 'Input.ExpiresAt': '2030-01-01T00:00' }) })).status",
            new object[] { $"/projects/{projectId}/trust", PublicJwk("forged").ToJsonString() });
        Assert.Equal(400, forged);
        Assert.Equal(2, (await ListAsync(key, slug)).Count);

        // Delete, after a confirmation naming the issuer.
        await row.Filter(new() { HasText = "https://idp.example.com" }).GetByRole(AriaRole.Link, new() { Name = "Delete trust in https://idp.example.com" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete trust in “https://idp.example.com”" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "42-trust-delete");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete trust relationship" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Trust relationship with “https://idp.example.com” deleted.")).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var left = Assert.Single(await ListAsync(key, slug));
        Assert.Equal("https://ci.example.com", left["issuer"]!.GetValue<string>());

        // A trust relationship that does not exist: the console's 404, not an error page.
        var missing = await page.GotoAsync($"/projects/{projectId}/trust/{Guid.NewGuid()}/delete");
        Assert.Equal(404, missing!.Status);
        var malformed = await page.GotoAsync($"/projects/{projectId}/trust/not-a-uuid/delete");
        Assert.Equal(404, malformed!.Status);
    }

    static async Task FillAsync(IPage page, string issuer, string subject, string scope, string jwk, string expiresAt)
    {
        await page.GetByLabel("Issuer", new() { Exact = true }).FillAsync(issuer);
        await page.GetByLabel("Subject", new() { Exact = true }).FillAsync(subject);
        await page.GetByLabel("Scopes", new() { Exact = true }).FillAsync(scope);
        await page.GetByLabel("Public key (JWK)").FillAsync(jwk);
        await page.GetByLabel("Expires at (UTC)").FillAsync(expiresAt);
    }

    /// <summary>A new RSA key's public JWK.</summary>
    static JsonObject PublicJwk(string kid)
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["alg"] = "RS256", ["n"] = Base64Url(p.Modulus!), ["e"] = Base64Url(p.Exponent!) };
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A second session of the account the browser signed up: the admin API as any client sees it.</summary>
    async Task<string> SessionKeyAsync(string email)
    {
        using var http = fixture.Platform.CreateClient();
        using var session = await http.PostAsJsonAsync(fixture.Platform.Api("/accounts/sessions"), new { email, password = Pages.Password });
        session.EnsureSuccessStatusCode();
        return JsonNode.Parse(await session.Content.ReadAsStringAsync())!["value"]!.GetValue<string>();
    }

    async Task<List<JsonObject>> ListAsync(string key, string slug)
    {
        var client = fixture.Client(key);
        using var request = client.CreateAdminRequest(slug, HttpMethod.Get, TrustPath);
        using var response = await client.SendAsync(request, CancellationToken.None);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsArray().OfType<JsonObject>().ToList();
    }
}
