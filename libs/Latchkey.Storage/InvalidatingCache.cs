using System.Collections.Concurrent;

namespace Latchkey.Storage;

/// <summary>
/// The one in-memory cache for what every request reads (projects, clients, API keys): each entry lives a
/// bounded time, a miss a shorter one, and an owner drops entries at once when a change is announced on its
/// Redis channel (<see cref="RedisConnection.Subscribe"/>), so replicas agree within a round trip and,
/// without Redis, within the lifetime. A change announced while a load ran may not be in what it read:
/// that value is served but not kept. The size is bounded: above <c>capacity</c> expired entries are swept,
/// and if that is not enough everything is dropped.
/// <para>
/// Lookups are counted as hits and misses by <see cref="CacheMetrics"/> when the owner names the cache.
/// </para>
/// <para>
/// Not <c>HybridCache</c>: its tag invalidation reaches only the local process (no cross-replica feed), it
/// has no separate lifetime for misses, and it does not guard against a load racing an invalidation.
/// </para>
/// </summary>
public sealed class InvalidatingCache<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    readonly ConcurrentDictionary<TKey, (TValue? Value, DateTimeOffset Until)> _entries = new();
    readonly TimeProvider _clock;
    readonly TimeSpan _found;
    readonly TimeSpan _missing;
    readonly int _capacity;
    readonly CacheMetrics.Instrument? _metrics;
    long _invalidations;

    /// <param name="metrics">With <paramref name="name"/>: where its hits and misses are counted.</param>
    public InvalidatingCache(TimeProvider clock, TimeSpan found, TimeSpan missing, int capacity = 10_000, CacheMetrics? metrics = null, string? name = null)
    {
        _clock = clock;
        _found = found;
        _missing = missing;
        _capacity = capacity;
        if (metrics is not null && name is not null) _metrics = metrics.For(name, () => _entries.Count);
    }

    public int Count => _entries.Count;

    /// <summary>The cached value (null for a cached miss), or <paramref name="load"/>'s answer, kept for its lifetime.</summary>
    public async ValueTask<TValue?> GetOrLoadAsync(TKey key, Func<CancellationToken, Task<TValue?>> load, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var hit) && hit.Until > now)
        {
            _metrics?.Count(hit: true);
            return hit.Value;
        }
        _metrics?.Count(hit: false);

        var invalidations = Interlocked.Read(ref _invalidations);
        var value = await load(ct);
        if (Interlocked.Read(ref _invalidations) == invalidations)
        {
            if (_entries.Count >= _capacity) Sweep(now);
            _entries[key] = (value, now + (value is null ? _missing : _found));
        }
        return value;
    }

    public void Invalidate(TKey key)
    {
        Interlocked.Increment(ref _invalidations);
        _entries.TryRemove(key, out _);
    }

    /// <summary>Drops every entry the predicate picks; the value is null for a cached miss.</summary>
    public void InvalidateWhere(Func<TKey, TValue?, bool> predicate)
    {
        Interlocked.Increment(ref _invalidations);
        foreach (var (key, entry) in _entries)
        {
            if (predicate(key, entry.Value)) _entries.TryRemove(key, out _);
        }
    }

    public void Clear()
    {
        Interlocked.Increment(ref _invalidations);
        _entries.Clear();
    }

    /// <summary>Unknown keys cost an entry each: keep the dictionary bounded.</summary>
    void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Until <= now) _entries.TryRemove(key, out _);
        }
        if (_entries.Count >= _capacity) _entries.Clear();
    }
}
