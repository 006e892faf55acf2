using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Outbound;
using Latchkey.Tenancy;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// The keys a <c>private_key_jwt</c> client signs its assertions with: its inline <c>jwks</c>, or the set at its
/// <c>jwks_uri</c>, fetched through <see cref="OutboundHttp"/> (timeout, no redirects, private ranges refused unless
/// allowed) and kept for <see cref="Lifetime"/>. An assertion naming a kid the cached set lacks (the client rotated
/// its key) refetches at once, but at most once per <see cref="RefetchInterval"/> per client, so unknown kids cannot
/// make us hammer the client's server. The cache is in-process and bounded.
/// </summary>
public sealed class ClientJwks(OutboundHttp outbound, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RefetchInterval = TimeSpan.FromMinutes(1);
    const int MaxEntries = 10_000;

    /// <summary>Largest JWKS document accepted, inline or fetched.</summary>
    public const int MaxBytes = 64 * 1024;

    sealed record Entry(JsonWebKeySet Set, DateTimeOffset FetchedAt);

    readonly ConcurrentDictionary<string, Entry> _fetched = new();

    /// <summary>
    /// The client's keys, fetching or refetching the <c>jwks_uri</c> as needed; null with the reason when there are none.
    /// <paramref name="kid"/> is the kid an assertion names (null: any).
    /// </summary>
    public async Task<(JsonWebKeySet? Set, string? Problem)> GetAsync(IProjectContext project, StoredClient client, string? kid, CancellationToken ct)
    {
        if (client.Jwks is { } inline)
        {
            var (set, problem) = Parse(inline.ToJsonString());
            return (set, problem);
        }
        if (string.IsNullOrEmpty(client.JwksUri)) return (null, "the client has neither jwks nor jwks_uri.");

        var key = project.Project.TenantId + "\n" + client.Id + "\n" + client.JwksUri;
        var now = clock.GetUtcNow();
        if (_fetched.TryGetValue(key, out var cached))
        {
            var fresh = now - cached.FetchedAt < Lifetime;
            var hasKid = kid is null || cached.Set.Keys.Any(k => k.Kid == kid);
            if (fresh && (hasKid || now - cached.FetchedAt < RefetchInterval)) return (cached.Set, null);
        }

        var (fetched, why) = await FetchAsync(project, client.JwksUri, ct);
        if (fetched is null)
        {
            // A set we had stays usable while its server is unreachable, for one more lifetime at most.
            if (cached is not null && now - cached.FetchedAt < 2 * Lifetime) return (cached.Set, null);
            return (null, why);
        }
        if (_fetched.Count >= MaxEntries) _fetched.Clear();
        _fetched[key] = new Entry(fetched, now);
        return (fetched, null);
    }

    async Task<(JsonWebKeySet? Set, string? Problem)> FetchAsync(IProjectContext project, string uri, CancellationToken ct)
    {
        try
        {
            using var response = await outbound.For(project).GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode) return (null, $"jwks_uri answered {(int)response.StatusCode}.");
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[MaxBytes + 1];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
            if (read > MaxBytes) return (null, $"jwks_uri answered more than {MaxBytes} bytes.");
            return Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (HttpRequestException ex)
        {
            return (null, "jwks_uri could not be fetched: " + ex.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"jwks_uri did not answer within {OutboundHttp.Timeout.TotalSeconds} seconds.");
        }
    }

    /// <summary>A set of public signing keys, or why not: what registration accepts and what a fetch must answer.</summary>
    public static (JsonWebKeySet? Set, string? Problem) Parse(string json)
    {
        if (json.Length > MaxBytes) return (null, $"the JSON Web Key Set is larger than {MaxBytes} bytes.");
        JsonWebKeySet set;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject { } root || root["keys"] is not JsonArray keys) return (null, "it is not a JSON Web Key Set ({\"keys\": [...]}).");
            if (keys.Count is 0 or > 100) return (null, "a JSON Web Key Set needs 1 to 100 keys.");
            if (keys.Any(k => k is not JsonObject o || o.ContainsKey("d") || o.ContainsKey("k") || o.ContainsKey("p")))
                return (null, "the JSON Web Key Set may hold only public keys.");
            set = new JsonWebKeySet(json);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return (null, "it is not a JSON Web Key Set: " + ex.Message);
        }
        if (set.Keys.Any(k => k.Kty is not ("RSA" or "EC"))) return (null, "every key must be an RSA or EC public key.");
        if (set.Keys.Any(k => !string.IsNullOrEmpty(k.Use) && k.Use != "sig")) return (null, "every key must be usable for signatures (use 'sig').");
        return (set, null);
    }
}
