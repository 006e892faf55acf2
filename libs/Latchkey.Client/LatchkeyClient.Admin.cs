using System.Text.RegularExpressions;

namespace Latchkey.Client;

// Project admin API (Hydra v2 paths): <slug>.projects.<domain>/admin, project key or workspace key.
// Room for what comes next, alongside these: keys (/admin/keys/{set}), login/consent/logout requests, trust.
public sealed partial class LatchkeyClient
{
    const int MaxPages = 1000;

    /// <summary><c>POST /admin/clients</c> (201); the answer carries the generated <c>client_secret</c> once.</summary>
    public Task<OAuth2Client> CreateOAuth2ClientAsync(string project, OAuth2Client client, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(WithJson(CreateAdminRequest(project, HttpMethod.Post, "/admin/clients"), client), ct);

    /// <summary><c>GET /admin/clients</c>, following Hydra's <c>Link: rel="next"</c> pages to the end.</summary>
    public Task<IReadOnlyList<OAuth2Client>> ListOAuth2ClientsAsync(string project, CancellationToken ct) =>
        ListAllPagesAsync<OAuth2Client>(project, "/admin/clients", ct);

    /// <summary>Every page of an admin list, from <paramref name="first"/> along Hydra's <c>Link: rel="next"</c> headers.</summary>
    async Task<IReadOnlyList<T>> ListAllPagesAsync<T>(string project, string first, CancellationToken ct)
    {
        var all = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? next = first;
        for (var page = 0; next is not null && page < MaxPages && seen.Add(next); page++)
        {
            using var request = CreateAdminRequest(project, HttpMethod.Get, next);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await SendAsync(request, ct);
            await EnsureSuccessAsync(response, ct);
            all.AddRange(await ReadBodyAsync<List<T>>(response, ct));
            next = NextLink(response);
        }
        return all;
    }

    /// <summary><c>GET /admin/clients/{id}</c>.</summary>
    public Task<OAuth2Client> GetOAuth2ClientAsync(string project, string clientId, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(CreateAdminRequest(project, HttpMethod.Get, $"/admin/clients/{Escape(clientId)}"), ct);

    /// <summary><c>PUT /admin/clients/{id}</c>: replaces the whole client.</summary>
    public Task<OAuth2Client> UpdateOAuth2ClientAsync(string project, string clientId, OAuth2Client client, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(WithJson(CreateAdminRequest(project, HttpMethod.Put, $"/admin/clients/{Escape(clientId)}"), client), ct);

    /// <summary><c>PATCH /admin/clients/{id}</c> with an RFC 6902 patch.</summary>
    public Task<OAuth2Client> PatchOAuth2ClientAsync(string project, string clientId, IEnumerable<JsonPatchOperation> operations, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(
            WithJson(CreateAdminRequest(project, HttpMethod.Patch, $"/admin/clients/{Escape(clientId)}"), operations.ToList(), "application/json-patch+json"),
            ct);

    /// <summary><c>PUT /admin/clients/{id}/lifespans</c>: Hydra's per-grant lifespans (field name → Go duration, or null for the project's default).</summary>
    public Task<OAuth2Client> SetOAuth2ClientLifespansAsync(string project, string clientId, IReadOnlyDictionary<string, string?> lifespans, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(WithJson(CreateAdminRequest(project, HttpMethod.Put, $"/admin/clients/{Escape(clientId)}/lifespans"), lifespans), ct);

    /// <summary><c>POST /admin/clients/{id}/secrets/rotate</c>: a new secret, in the answer once; the previous five keep working.</summary>
    public Task<OAuth2Client> RotateOAuth2ClientSecretAsync(string project, string clientId, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(CreateAdminRequest(project, HttpMethod.Post, $"/admin/clients/{Escape(clientId)}/secrets/rotate"), ct);

    /// <summary><c>DELETE /admin/clients/{id}/secrets/rotate</c>: only the current secret works from now on.</summary>
    public Task<OAuth2Client> DeleteRotatedOAuth2ClientSecretsAsync(string project, string clientId, CancellationToken ct) =>
        ReadAsync<OAuth2Client>(CreateAdminRequest(project, HttpMethod.Delete, $"/admin/clients/{Escape(clientId)}/secrets/rotate"), ct);

    /// <summary><c>DELETE /admin/clients/{id}</c> (204).</summary>
    public Task DeleteOAuth2ClientAsync(string project, string clientId, CancellationToken ct) =>
        SendExpectingSuccessAsync(CreateAdminRequest(project, HttpMethod.Delete, $"/admin/clients/{Escape(clientId)}"), ct);

    /// <summary><c>POST /admin/oauth2/introspect</c> with form <c>token</c> (and <c>scope</c>, space-separated, when given).</summary>
    public Task<IntrospectedToken> IntrospectAsync(string project, string token, string? scope, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("token", token) };
        if (!string.IsNullOrWhiteSpace(scope))
            form.Add(new("scope", scope));
        var request = CreateAdminRequest(project, HttpMethod.Post, "/admin/oauth2/introspect");
        request.Content = new FormUrlEncodedContent(form);
        return ReadAsync<IntrospectedToken>(request, ct);
    }

    /// <summary><c>POST /admin/oauth2/introspect</c> with form <c>token</c>.</summary>
    public Task<IntrospectedToken> IntrospectAsync(string project, string token, CancellationToken ct) =>
        IntrospectAsync(project, token, null, ct);

    /// <summary><c>DELETE /admin/oauth2/tokens?client_id=</c>: revokes every access and refresh token of a client.</summary>
    public Task DeleteTokensAsync(string project, string clientId, CancellationToken ct) =>
        SendExpectingSuccessAsync(CreateAdminRequest(project, HttpMethod.Delete, $"/admin/oauth2/tokens?client_id={Escape(clientId)}"), ct);

    /// <summary>The path and query of the <c>rel="next"</c> link, if the response has one.</summary>
    static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
            return null;
        foreach (Match match in NextLinkPattern().Matches(string.Join(",", values)))
        {
            var target = match.Groups["url"].Value;
            // On Unix "/admin/clients?…" parses as an absolute file: URI, so only take http(s) URLs as absolute.
            return Uri.TryCreate(target, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
                ? absolute.PathAndQuery
                : target;
        }
        return null;
    }

    [GeneratedRegex("""<(?<url>[^>]+)>\s*;\s*rel="?next"?""", RegexOptions.IgnoreCase)]
    private static partial Regex NextLinkPattern();
}
