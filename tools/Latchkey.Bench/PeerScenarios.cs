using System.Net.Http.Headers;
using System.Text.Json;

namespace Latchkey.Bench;

/// <summary>
/// The same scenarios against node-oidc-provider, by the same names as <see cref="LatchkeyScenarios"/>: its token
/// endpoint with client_credentials (opaque, then RS256 JWT from a second process started with
/// <c>TOKEN_FORMAT=jwt</c>), its introspection endpoint and its discovery document. It has no refresh_token scenario
/// (the peer's bench client has only client_credentials), so that row shows no peer figures.
/// </summary>
static class PeerScenarios
{
    /// <summary>The peer's bench client (its README): client_secret_basic, grant client_credentials.</summary>
    static readonly ClientCredentials Client = new("bench-client", "bench-secret");

    const string TokenBody = "grant_type=client_credentials&scope=api:read";

    public static IReadOnlyList<Scenario> Create(PeerServer opaque, PeerServer jwt, HttpClient http)
    {
        var target = new BenchTarget("peer", opaque.Url, null) { Processes = [new("peer", opaque.Pid)] };
        var jwtTarget = new BenchTarget("peer", jwt.Url, null) { Processes = [new("peer", jwt.Pid)] };
        var introspect = new WrkRequest("/token/introspection", null, Client.Basic);
        return
        [
            new("token-client-credentials", target, new("/token", TokenBody, Client.Basic)),
            // The peer keeps tokens in an LRU of 1000 entries: the token to introspect is minted right before its run,
            // after the token scenario has filled that LRU with newer ones.
            new("introspection", target, introspect)
            {
                Prepare = async ct => introspect with { Body = "token=" + Uri.EscapeDataString(await IssueAsync(http, opaque.Url, ct)) },
            },
            new("discovery", target, new("/.well-known/openid-configuration")),
            new("token-client-credentials-jwt", jwtTarget, new("/token", TokenBody, Client.Basic)),
        ];
    }

    static async Task<string> IssueAsync(HttpClient http, Uri peer, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer, "/token"))
        {
            Content = new StringContent(TokenBody, null, "application/x-www-form-urlencoded"),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Client.Basic);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new BenchException($"the peer's token endpoint answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()
            ?? throw new BenchException("the peer's token response has no access_token");
    }
}
