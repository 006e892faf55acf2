using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Web;
using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// Mints refresh tokens through whole authorization-code flows with PKCE S256, one fresh browser each. The bench is
/// both the browser and the project's login and consent app, which accepts through the admin API as a Hydra login
/// app would; the app's URLs are never contacted, only recognised in the redirects.
/// </summary>
sealed class LatchkeyCodeFlow(BenchProject project, HttpClient http)
{
    public static readonly Uri LoginApp = new("http://login.bench.invalid/login");
    public static readonly Uri ConsentApp = new("http://login.bench.invalid/consent");
    public static readonly Uri RedirectUri = new("http://127.0.0.1/cb");
    const string Scope = "openid offline_access";

    /// <summary>A refresh token for the subject <c>bench-user-<paramref name="n"/></c>.</summary>
    public async Task<string> RefreshTokenAsync(int n, CancellationToken ct)
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var client = project.WebClient;
        var browser = new Browser(http, project.Admin.Hosts);

        var authorize = new Uri(project.Admin.Issuer(project.Slug) + "/oauth2/auth?" + Query(
            ("response_type", "code"), ("client_id", client.Id), ("redirect_uri", RedirectUri.AbsoluteUri), ("scope", Scope),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256")));
        var login = await browser.RedirectOfAsync(authorize, ct);
        var loginChallenge = Parameter(login, LoginApp, "login_challenge", "/oauth2/auth did not redirect to the login app");
        var afterLogin = await AcceptAsync("login", loginChallenge, new { subject = $"bench-user-{n}" }, ct);

        var consent = await browser.RedirectOfAsync(afterLogin, ct);
        var consentChallenge = Parameter(consent, ConsentApp, "consent_challenge", "the login verifier did not redirect to the consent app");
        var afterConsent = await AcceptAsync("consent", consentChallenge, new { grant_scope = Scope.Split(' ') }, ct);

        var callback = await browser.RedirectOfAsync(afterConsent, ct);
        var code = Parameter(callback, RedirectUri, "code", "the consent verifier did not redirect to the client with a code");
        if (HttpUtility.ParseQueryString(callback.Query)["state"] != state)
            throw new BenchException("authorization flow: the client's redirect carries another state");

        var token = await project.Admin.RequestTokenAsync(project.Slug,
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", RedirectUri.AbsoluteUri),
            new("code_verifier", verifier),
        ], client.Id, client.Secret, ClientAuthMethod.ClientSecretBasic, ct);
        return token.RefreshToken ?? throw new BenchException("authorization flow: the code exchange answered no refresh_token");
    }

    /// <summary><c>PUT /admin/oauth2/auth/requests/{kind}/accept</c>, as the login app; returns its <c>redirect_to</c>.</summary>
    async Task<Uri> AcceptAsync(string kind, string challenge, object body, CancellationToken ct)
    {
        using var request = project.Admin.CreateAdminRequest(project.Slug, HttpMethod.Put,
            $"/admin/oauth2/auth/requests/{kind}/accept?{kind}_challenge={Uri.EscapeDataString(challenge)}");
        // Buffered, so the request has a Content-Length, as the SDK's own requests do.
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        request.Content.Headers.ContentType = new("application/json");
        using var response = await project.Admin.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw await LatchkeyApiException.FromResponseAsync(response, ct);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return answer.RootElement.TryGetProperty("redirect_to", out var to) && Uri.TryCreate(to.GetString(), UriKind.Absolute, out var uri)
            ? uri
            : throw new BenchException($"authorization flow: {kind} accept answered no redirect_to");
    }

    static string Parameter(Uri location, Uri expected, string name, string otherwise) =>
        location.GetLeftPart(UriPartial.Path) == expected.AbsoluteUri && HttpUtility.ParseQueryString(location.Query)[name] is { Length: > 0 } value
            ? value
            : throw new BenchException($"authorization flow: {otherwise} with a {name}: {location.GetLeftPart(UriPartial.Path)}");

    static string Query(params (string Name, string Value)[] parameters) =>
        string.Join('&', parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
}
