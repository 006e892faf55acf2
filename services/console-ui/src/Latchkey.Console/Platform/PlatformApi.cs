using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Client;
using Latchkey.ServiceDefaults;

namespace Latchkey.Console.Platform;

/// <summary>
/// The console's only way to data: HTTP through the gateway (<c>LATCHKEY_PUBLIC_URL</c>), as any client would.
/// Typed calls go through <see cref="LatchkeyClient"/>; the few endpoints it does not model (accounts, usage,
/// keys, trust) are here.
/// </summary>
public sealed class PlatformApi
{
    readonly LatchkeyClient _anonymous;

    public PlatformApi(PlatformSettings settings)
    {
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        _anonymous = new LatchkeyClient(http, settings.PublicUrl, settings.Domain);
    }

    /// <summary>A client acting for the signed-in account's workspace.</summary>
    public LatchkeyClient For(ClaimsPrincipal user) => _anonymous.WithWorkspaceKey(ConsoleSession.Key(user));

    public string Issuer(string slug) => _anonymous.Issuer(slug);

    public LatchkeyHosts Hosts => _anonymous.Hosts;

    /// <summary><c>POST /accounts</c>: null when created, otherwise the API's error.</summary>
    public async Task<LatchkeyApiException?> SignUpAsync(string email, string password, CancellationToken ct)
    {
        using var request = Json(_anonymous.CreateControlPlaneRequest(HttpMethod.Post, "/accounts"), new JsonObject { ["email"] = email, ["password"] = password });
        using var response = await _anonymous.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    /// <summary><c>POST /accounts/sessions</c>: the session grant, or the API's error (401 wrong credentials, 429 throttled).</summary>
    public async Task<(SessionGrant? Grant, LatchkeyApiException? Error)> SignInAsync(string email, string password, CancellationToken ct)
    {
        using var request = Json(_anonymous.CreateControlPlaneRequest(HttpMethod.Post, "/accounts/sessions"), new JsonObject { ["email"] = email, ["password"] = password });
        using var response = await _anonymous.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return (null, await LatchkeyApiException.FromResponseAsync(response, ct));
        var grant = await response.Content.ReadFromJsonAsync<SessionGrant>(LatchkeyJson.Options, ct);
        return (grant, null);
    }

    /// <summary><c>GET /accounts</c>: the accounts of the signed-in account's workspace.</summary>
    public async Task<IReadOnlyList<WorkspaceAccount>> AccountsAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        using var request = For(user).CreateControlPlaneRequest(HttpMethod.Get, "/accounts");
        using var response = await _anonymous.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw await LatchkeyApiException.FromResponseAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<List<WorkspaceAccount>>(LatchkeyJson.Options, ct) ?? [];
    }

    /// <summary><c>POST /accounts</c> with the session: adds an account to the workspace; the signed-in account confirms with its password.</summary>
    public async Task<LatchkeyApiException?> AddAccountAsync(ClaimsPrincipal user, string email, string password, string currentPassword, CancellationToken ct)
    {
        var body = new JsonObject { ["email"] = email, ["password"] = password, ["current_password"] = currentPassword };
        using var request = Json(For(user).CreateControlPlaneRequest(HttpMethod.Post, "/accounts"), body);
        using var response = await _anonymous.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    /// <summary><c>DELETE /accounts/{email}</c>: null when deleted, otherwise the API's error (409: the workspace's last account).</summary>
    public async Task<LatchkeyApiException?> DeleteAccountAsync(ClaimsPrincipal user, string email, CancellationToken ct)
    {
        using var request = For(user).CreateControlPlaneRequest(HttpMethod.Delete, "/accounts/" + Uri.EscapeDataString(email));
        using var response = await _anonymous.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    /// <summary><c>DELETE /accounts/sessions/current</c>: revokes the session key. Best effort: signing out locally always works.</summary>
    public async Task SignOutAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        using var request = For(user).CreateControlPlaneRequest(HttpMethod.Delete, "/accounts/sessions/current");
        using var response = await _anonymous.SendAsync(request, ct);
    }

    /// <summary><c>GET /projects/{id}/usage</c>; null when this deployment has no usage metering (the route answers 404).</summary>
    public async Task<UsageReport?> UsageAsync(ClaimsPrincipal user, string projectId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var path = $"/projects/{Uri.EscapeDataString(projectId)}/usage?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        using var request = For(user).CreateControlPlaneRequest(HttpMethod.Get, path);
        using var response = await _anonymous.SendAsync(request, ct);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed) return null;
        if (!response.IsSuccessStatusCode) throw await LatchkeyApiException.FromResponseAsync(response, ct);
        return UsageReport.Parse(await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary><c>GET /projects/{id}/ops</c>: the last <paramref name="minutes"/> of endpoint metrics; null when this deployment does not serve them.</summary>
    public async Task<OpsReport?> OpsAsync(ClaimsPrincipal user, string projectId, int minutes, CancellationToken ct)
    {
        var path = $"/projects/{Uri.EscapeDataString(projectId)}/ops?minutes={minutes}";
        using var request = For(user).CreateControlPlaneRequest(HttpMethod.Get, path);
        using var response = await _anonymous.SendAsync(request, ct);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed) return null;
        if (!response.IsSuccessStatusCode) throw await LatchkeyApiException.FromResponseAsync(response, ct);
        return OpsReport.Parse(await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The project's public JWKS (<c>/.well-known/jwks.json</c>).</summary>
    public async Task<JsonObject?> PublicJwksAsync(string slug, CancellationToken ct)
    {
        using var request = _anonymous.CreateProjectRequest(slug, HttpMethod.Get, "/.well-known/jwks.json");
        using var response = await _anonymous.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return null;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
    }

    /// <summary><c>POST /admin/keys/{set}</c>: a new signing key that becomes the current one.</summary>
    public async Task<LatchkeyApiException?> RotateKeyAsync(ClaimsPrincipal user, string slug, string set, string alg, CancellationToken ct)
    {
        var body = new JsonObject { ["alg"] = alg, ["kid"] = Guid.NewGuid().ToString("N"), ["use"] = "sig" };
        using var request = Json(For(user).CreateAdminRequest(slug, HttpMethod.Post, $"/admin/keys/{Uri.EscapeDataString(set)}"), body);
        using var response = await _anonymous.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    /// <summary><c>GET /admin/keys/{set}</c>: null when the project admin API has no key routes.</summary>
    public async Task<JsonObject?> AdminKeysAsync(ClaimsPrincipal user, string slug, string set, CancellationToken ct)
    {
        using var request = For(user).CreateAdminRequest(slug, HttpMethod.Get, $"/admin/keys/{Uri.EscapeDataString(set)}");
        using var response = await _anonymous.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return null;
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
    }

    const string TrustPath = "/admin/trust/grants/jwt-bearer/issuers";

    /// <summary><c>GET /admin/trust/grants/jwt-bearer/issuers</c>: the project's trusted jwt-bearer issuers, following its pages.</summary>
    public async Task<IReadOnlyList<TrustedIssuer>> TrustedIssuersAsync(ClaimsPrincipal user, string slug, CancellationToken ct)
    {
        var all = new List<TrustedIssuer>();
        for (var page = 0; page < 20; page++)
        {
            using var request = For(user).CreateAdminRequest(slug, HttpMethod.Get, $"{TrustPath}?page_size=1000&page_token={page}");
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await _anonymous.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) throw await LatchkeyApiException.FromResponseAsync(response, ct);
            all.AddRange(await response.Content.ReadFromJsonAsync<List<TrustedIssuer>>(LatchkeyJson.Options, ct) ?? []);
            if (!response.Headers.Contains("Link")) break;
        }
        return all;
    }

    /// <summary><c>GET …/issuers/{id}</c>: null when there is no such trust relationship.</summary>
    public async Task<TrustedIssuer?> TrustedIssuerAsync(ClaimsPrincipal user, string slug, string id, CancellationToken ct)
    {
        using var request = For(user).CreateAdminRequest(slug, HttpMethod.Get, $"{TrustPath}/{Uri.EscapeDataString(id)}");
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _anonymous.SendAsync(request, ct);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.BadRequest) return null;
        if (!response.IsSuccessStatusCode) throw await LatchkeyApiException.FromResponseAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<TrustedIssuer>(LatchkeyJson.Options, ct);
    }

    /// <summary><c>POST …/issuers</c>: null when created, otherwise the API's error (400 invalid, 409 duplicate).</summary>
    public async Task<LatchkeyApiException?> AddTrustedIssuerAsync(ClaimsPrincipal user, string slug, JsonObject body, CancellationToken ct)
    {
        using var request = Json(For(user).CreateAdminRequest(slug, HttpMethod.Post, TrustPath), body);
        using var response = await _anonymous.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    /// <summary><c>DELETE …/issuers/{id}</c>: null when deleted, otherwise the API's error (404: already gone).</summary>
    public async Task<LatchkeyApiException?> DeleteTrustedIssuerAsync(ClaimsPrincipal user, string slug, string id, CancellationToken ct)
    {
        using var request = For(user).CreateAdminRequest(slug, HttpMethod.Delete, $"{TrustPath}/{Uri.EscapeDataString(id)}");
        using var response = await _anonymous.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? null : await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    static HttpRequestMessage Json(HttpRequestMessage request, JsonNode body)
    {
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }
}
