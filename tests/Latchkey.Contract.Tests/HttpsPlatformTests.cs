using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Web;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A platform whose public URL is https, as behind a TLS-terminating load balancer: the test speaks http to the
/// gateway, as that balancer would, and says so with <c>X-Forwarded-Proto: https</c> from loopback (trusted).
/// </summary>
public sealed class HttpsPlatformFixture : IAsyncLifetime
{
    public PlatformFixture Platform { get; } = new() { ExtraArgs = ["--LATCHKEY_PUBLIC_URL=https://localhost"] };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class HttpsPlatformCollection : ICollectionFixture<HttpsPlatformFixture>
{
    public const string Name = "https-platform";
}

[Collection(HttpsPlatformCollection.Name)]
public sealed class HttpsPlatformTests(HttpsPlatformFixture fixture)
{
    const string RedirectUri = "https://app.example/callback";
    const string LoginApp = "https://login.example/login";
    const string ConsentApp = "https://login.example/consent";
    readonly PlatformFixture _platform = fixture.Platform;

    /// <summary>
    /// A browser behind the balancer: keeps cookies by name from Set-Cookie (whatever their attributes, since the
    /// test's own hop is http) and sends exactly the ones it is told to.
    /// </summary>
    HttpClient Browser() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, _platform.GatewayPort, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });

    /// <summary>The balancer's hop: same host and path, over http, saying the browser used https.</summary>
    static HttpRequestMessage Get(string url, IEnumerable<KeyValuePair<string, string>>? cookies = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url.Replace("https://", "http://", StringComparison.Ordinal));
        request.Headers.Add("X-Forwarded-Proto", "https");
        if (cookies?.ToList() is { Count: > 0 } list) request.Headers.Add("Cookie", string.Join("; ", list.Select(c => $"{c.Key}={c.Value}")));
        return request;
    }

    static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    static void Remember(Dictionary<string, string> jar, HttpResponseMessage response)
    {
        foreach (var header in SetCookies(response))
        {
            var pair = header.Split(';')[0];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) jar.Remove(pair[..eq]);
            else jar[pair[..eq]] = pair[(eq + 1)..];
        }
    }

    async Task<(TestProject Project, TestClient Client, Api Api)> SetupAsync()
    {
        var api = new Api(_platform);
        var (created, body) = await api.SendAsync(HttpMethod.Post, _platform.Api("/projects"), _platform.WorkspaceKey, JsonContent.Create(new { name = "https" }));
        Assert.Equal(HttpStatusCode.Created, created);
        string id = body!["id"]!.GetValue<string>(), slug = body["slug"]!.GetValue<string>();
        var (_, key) = await api.SendAsync(HttpMethod.Post, _platform.Api($"/projects/{id}/tokens"), _platform.WorkspaceKey, JsonContent.Create(new { name = "tests" }));
        // Admin calls go straight over http; the issuer is the https one the project advertises.
        var project = new TestProject(id, slug, $"http://{slug}.projects.localhost", key!["value"]!.GetValue<string>());
        var (patched, _) = await api.SendAsync(HttpMethod.Patch, _platform.Api($"/projects/{id}"), _platform.WorkspaceKey, Api.Json($$"""
            [{"op":"replace","path":"/services/oauth2/config/urls/login","value":"{{LoginApp}}"},
             {"op":"replace","path":"/services/oauth2/config/urls/consent","value":"{{ConsentApp}}"}]
            """));
        Assert.Equal(HttpStatusCode.OK, patched);
        var client = await api.CreateClientAsync(project, $$"""
            {"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid"}
            """);
        return (project, client, api);
    }

    static string AuthorizeUrl(TestProject project, TestClient client) =>
        new RequestUrl($"https://{project.Slug}.projects.localhost/oauth2/auth").CreateAuthorizeUrl(clientId: client.Id, responseType: "code", scope: "openid",
            redirectUri: RedirectUri, state: "s", nonce: "n", codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256");

    async Task<JsonNode> LoginRequestAsync(Api api, TestProject project, Uri location)
    {
        Assert.StartsWith(LoginApp + "?login_challenge=", location.ToString());
        var challenge = HttpUtility.ParseQueryString(location.Query)["login_challenge"]!;
        var (status, request) = await api.SendAsync(HttpMethod.Get, api.At(project, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(challenge)}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return request!;
    }

    [Fact]
    public async Task Cookies_CarryTheHostPrefix_Secure_HostOnly_AndEveryResponseHsts()
    {
        var (project, client, _) = await SetupAsync();
        using var browser = Browser();

        using var start = await browser.SendAsync(Get(AuthorizeUrl(project, client)));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var csrf = Assert.Single(SetCookies(start));
        Assert.StartsWith("__Host-lk_csrf_", csrf);
        Assert.Contains("; secure", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", csrf, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("max-age=31536000", start.Headers.GetValues("Strict-Transport-Security").Single());

        using var discovery = await browser.SendAsync(Get($"https://{project.Slug}.projects.localhost/.well-known/openid-configuration"));
        Assert.Equal($"https://{project.Slug}.projects.localhost", (await discovery.Content.ReadFromJsonAsync<JsonNode>())!["issuer"]!.GetValue<string>());
        Assert.True(discovery.Headers.Contains("Strict-Transport-Security"));
        using var api = await browser.SendAsync(Get("https://api.localhost/health/alive"));
        Assert.True(api.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task HostedLoginPage_AntiforgeryCookie_CarriesTheHostPrefix()
    {
        var api = new Api(_platform);
        var (_, body) = await api.SendAsync(HttpMethod.Post, _platform.Api("/projects"), _platform.WorkspaceKey, JsonContent.Create(new { name = "https-hosted" }));
        var slug = body!["slug"]!.GetValue<string>();
        var (_, key) = await api.SendAsync(HttpMethod.Post, _platform.Api($"/projects/{body["id"]}/tokens"), _platform.WorkspaceKey, JsonContent.Create(new { name = "tests" }));
        var project = new TestProject(body["id"]!.GetValue<string>(), slug, $"http://{slug}.projects.localhost", key!["value"]!.GetValue<string>());
        var client = await api.CreateClientAsync(project, $$"""{"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid"}""");
        using var browser = Browser();
        var jar = new Dictionary<string, string>();

        using var start = await browser.SendAsync(Get(AuthorizeUrl(project, client)));
        Remember(jar, start);
        Assert.StartsWith($"https://{slug}.projects.localhost/ui/login?", start.Headers.Location!.ToString());
        using var page = await browser.SendAsync(Get(start.Headers.Location.ToString(), jar));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var antiforgery = Assert.Single(SetCookies(page), c => c.Contains("lk_af", StringComparison.Ordinal));
        Assert.StartsWith("__Host-lk_af=", antiforgery);
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The attack of issue 8 item 7: a sibling host plants <c>lk_session</c> for the parent domain. With an https
    /// public URL only <c>__Host-lk_session</c> is read, which no sibling can set, so the planted one does nothing.
    /// </summary>
    [Fact]
    public async Task PlantedUnprefixedSessionCookie_IsNotHonoured_ThePrefixedOneIs()
    {
        var (project, client, api) = await SetupAsync();
        using var browser = Browser();
        var jar = new Dictionary<string, string>();

        using var start = await browser.SendAsync(Get(AuthorizeUrl(project, client)));
        Remember(jar, start);
        var login = await LoginRequestAsync(api, project, start.Headers.Location!);
        var (accepted, redirect) = await api.SendAsync(HttpMethod.Put,
            api.At(project, $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(login["challenge"]!.GetValue<string>())}"),
            project.ApiKey, JsonContent.Create(new { subject = "victim-or-attacker", remember = true }));
        Assert.Equal(HttpStatusCode.OK, accepted);
        using var back = await browser.SendAsync(Get(redirect!["redirect_to"]!.GetValue<string>(), jar));
        Assert.True(back.StatusCode == HttpStatusCode.Redirect, $"{back.StatusCode}: {await back.Content.ReadAsStringAsync()}");
        Remember(jar, back);
        var session = Assert.Single(SetCookies(back), c => c.Contains("lk_session", StringComparison.Ordinal));
        Assert.StartsWith("__Host-lk_session=", session);
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        var value = jar["__Host-lk_session"];

        using var planted = Browser();
        using var withPlanted = await planted.SendAsync(Get(AuthorizeUrl(project, client), [KeyValuePair.Create("lk_session", value)]));
        Assert.False((await LoginRequestAsync(api, project, withPlanted.Headers.Location!))["skip"]!.GetValue<bool>());

        using var withOwn = await planted.SendAsync(Get(AuthorizeUrl(project, client), [KeyValuePair.Create("__Host-lk_session", value)]));
        Assert.True((await LoginRequestAsync(api, project, withOwn.Headers.Location!))["skip"]!.GetValue<bool>());
    }
}
