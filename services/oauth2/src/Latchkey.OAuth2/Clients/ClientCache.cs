using System.Text.Json;
using Latchkey.Storage;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Clients by (project, client_id), kept in memory because every token request reads one. Entries live
/// 30 seconds, misses 2 seconds, and a change announced on <see cref="ChangedChannel"/> drops the entry on
/// every replica at once. Each caller gets its own copy, so a caller may change what it got (the admin
/// API does, before saving) without touching what other requests see.
/// </summary>
public sealed class ClientCache
{
    public const string ChangedChannel = "lk:clients:changed";

    static readonly TimeSpan Positive = TimeSpan.FromSeconds(30);
    static readonly TimeSpan Negative = TimeSpan.FromSeconds(2);

    readonly InvalidatingCache<(string TenantId, string ClientId), byte[]> _entries;

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

    public async ValueTask<StoredClient?> GetOrLoadAsync(
        string tenantId, string clientId, Func<CancellationToken, Task<StoredClient?>> load, CancellationToken ct)
    {
        var stored = await _entries.GetOrLoadAsync((tenantId, clientId), async token =>
            await load(token) is { } client ? JsonSerializer.SerializeToUtf8Bytes(client) : null, ct);
        return stored is null ? null : JsonSerializer.Deserialize<StoredClient>(stored);
    }

    /// <summary>Drops the entry in this process only; <see cref="AnnounceChangedAsync"/> reaches every replica.</summary>
    public void Invalidate(string tenantId, string clientId) => _entries.Invalidate((tenantId, clientId));

    public static Task AnnounceChangedAsync(RedisConnection redis, string tenantId, string clientId) =>
        redis.PublishAsync(ChangedChannel, $"{tenantId}:{clientId}");
}
