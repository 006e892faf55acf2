using System.Text.Json;
using Latchkey.Storage;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Clients by (project, client_id), kept in memory because every token request reads one. Entries live
/// 30 seconds, misses 2 seconds, and a change announced on <see cref="ChangedChannel"/> drops the entry on
/// every replica at once. Every caller gets the same instance, read-only by convention: deserializing a copy per
/// hit cost more than the rest of the lookup (a token request reads its client several times). A caller that means to
/// change a client before saving it (the admin API) takes its own copy with <see cref="Copy"/>.
/// </summary>
public sealed class ClientCache
{
    public const string ChangedChannel = "lk:clients:changed";

    static readonly TimeSpan Positive = TimeSpan.FromSeconds(30);
    static readonly TimeSpan Negative = TimeSpan.FromSeconds(2);

    readonly InvalidatingCache<(string TenantId, string ClientId), StoredClient> _entries;

    public ClientCache(RedisConnection redis, TimeProvider clock, CacheMetrics? metrics = null)
    {
        _entries = new(clock, Positive, Negative, metrics: metrics, name: "clients");
        redis.Subscribe(ChangedChannel, message =>
        {
            // Tenant ids are GUIDs without colons; client ids may contain them.
            var colon = message.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) Invalidate(message[..colon], message[(colon + 1)..]);
            else _entries.Clear();
        });
    }

    /// <summary>The shared instance: never change it (see <see cref="Copy"/>).</summary>
    public ValueTask<StoredClient?> GetOrLoadAsync(
        string tenantId, string clientId, Func<CancellationToken, Task<StoredClient?>> load, CancellationToken ct) =>
        _entries.GetOrLoadAsync((tenantId, clientId), load, ct);

    /// <summary>A deep copy of a client, for a caller that changes it before saving; every field, by its JSON form.</summary>
    public static StoredClient Copy(StoredClient client) =>
        JsonSerializer.Deserialize<StoredClient>(JsonSerializer.SerializeToUtf8Bytes(client))!;

    /// <summary>Drops the entry in this process only; <see cref="AnnounceChangedAsync"/> reaches every replica.</summary>
    public void Invalidate(string tenantId, string clientId) => _entries.Invalidate((tenantId, clientId));

    public static Task AnnounceChangedAsync(RedisConnection redis, string tenantId, string clientId) =>
        redis.PublishAsync(ChangedChannel, $"{tenantId}:{clientId}");
}
