using System.Collections.Concurrent;
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
    const int SweepAbove = 10_000;

    readonly ConcurrentDictionary<(string TenantId, string ClientId), (byte[]? Client, DateTimeOffset Until)> _entries = new();
    readonly TimeProvider _time;
    long _invalidations;

    public ClientCache(RedisConnection redis, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        redis.Subscribe(ChangedChannel, message =>
        {
            // Tenant ids are GUIDs without colons; client ids may contain them.
            var colon = message.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                Invalidate(message[..colon], message[(colon + 1)..]);
            }
            else
            {
                Interlocked.Increment(ref _invalidations);
                _entries.Clear();
            }
        });
    }

    public async ValueTask<StoredClient?> GetOrLoadAsync(
        string tenantId, string clientId, Func<CancellationToken, Task<StoredClient?>> load, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_entries.TryGetValue((tenantId, clientId), out var hit) && hit.Until > now) return Copy(hit.Client);

        // A change announced while the load ran may not be in what it read: then serve it, but do not keep it.
        var invalidations = Interlocked.Read(ref _invalidations);
        var client = await load(ct);
        var stored = client is null ? null : JsonSerializer.SerializeToUtf8Bytes(client);
        if (Interlocked.Read(ref _invalidations) == invalidations)
        {
            if (_entries.Count >= SweepAbove) Sweep(now);
            _entries[(tenantId, clientId)] = (stored, now + (client is null ? Negative : Positive));
        }
        return Copy(stored);
    }

    /// <summary>Drops the entry in this process only; <see cref="AnnounceChangedAsync"/> reaches every replica.</summary>
    public void Invalidate(string tenantId, string clientId)
    {
        Interlocked.Increment(ref _invalidations);
        _entries.TryRemove((tenantId, clientId), out _);
    }

    public static Task AnnounceChangedAsync(RedisConnection redis, string tenantId, string clientId) =>
        redis.PublishAsync(ChangedChannel, $"{tenantId}:{clientId}");

    static StoredClient? Copy(byte[]? stored) => stored is null ? null : JsonSerializer.Deserialize<StoredClient>(stored);

    /// <summary>Unknown client ids cost an entry each: keep the dictionary bounded.</summary>
    void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Until <= now) _entries.TryRemove(key, out _);
        }
        if (_entries.Count >= SweepAbove) _entries.Clear();
    }
}
