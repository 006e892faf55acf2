using System.Diagnostics.Metrics;
using Latchkey.ServiceDefaults;

namespace Latchkey.Storage;

/// <summary>
/// Hit and miss counts of every <see cref="InvalidatingCache{TKey,TValue}"/>, by cache name
/// (<c>latchkey.cache.lookups{cache, result}</c>), and each cache's entries (<c>latchkey.cache.entries{cache}</c>).
/// A remembered "not found" is a hit: it saved the database a read.
/// </summary>
public sealed class CacheMetrics
{
    readonly Counter<long> _lookups;
    readonly List<(string Name, Func<int> Count)> _caches = [];

    public CacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(LatchkeyMeters.Storage);
        _lookups = meter.CreateCounter<long>("latchkey.cache.lookups", "{lookup}", "Cache lookups, by cache and result (hit or miss).");
        meter.CreateObservableGauge("latchkey.cache.entries", Observe, "{entry}", "Entries held, by cache.");
    }

    /// <summary>The instrument of one named cache; <paramref name="count"/> is read at each collection.</summary>
    public Instrument For(string cache, Func<int> count)
    {
        lock (_caches) _caches.Add((cache, count));
        return new Instrument(_lookups, cache);
    }

    IEnumerable<Measurement<int>> Observe()
    {
        lock (_caches)
            return [.. _caches.Select(c => new Measurement<int>(c.Count(), new KeyValuePair<string, object?>("cache", c.Name)))];
    }

    /// <summary>Counts lookups of one cache; the tags are made once, so counting allocates nothing.</summary>
    public sealed class Instrument
    {
        readonly Counter<long> _lookups;
        readonly KeyValuePair<string, object?> _cache;
        static readonly KeyValuePair<string, object?> Hit = new("result", "hit");
        static readonly KeyValuePair<string, object?> Miss = new("result", "miss");

        internal Instrument(Counter<long> lookups, string cache)
        {
            _lookups = lookups;
            _cache = new("cache", cache);
        }

        public void Count(bool hit)
        {
            if (_lookups.Enabled) _lookups.Add(1, _cache, hit ? Hit : Miss);
        }
    }
}
