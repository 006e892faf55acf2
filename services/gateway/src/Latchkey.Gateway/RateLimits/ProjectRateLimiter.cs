using System.Collections.Concurrent;
using Latchkey.Storage;
using StackExchange.Redis;

namespace Latchkey.Gateway.RateLimits;

/// <summary>The answer for one request: admitted or not, and what its headers say.</summary>
/// <param name="Limit">The limit of the window closest to running out (the one <paramref name="Remaining"/> is about), and <paramref name="Window"/> its length.</param>
/// <param name="ResetAfter">Until that window starts over; on a refusal, until the refusing window does.</param>
public sealed record RateLimitDecision(bool Allowed, BucketLimits Limits, long Limit, TimeSpan Window, long Remaining, TimeSpan ResetAfter);

/// <summary>
/// Two fixed windows per project and bucket (a second for the burst, a minute for the sustained rate), counted in
/// Redis by one Lua script, so every gateway replica counts against the same windows: a request is admitted only
/// when both windows have room, and only admitted requests are counted. A window starts with its first request and
/// ends with the key's expiry, so replicas need no common clock.
/// <para>
/// While Redis is down (or slow) each gateway counts in its own memory with the same windows: the limits then fail
/// open by the number of gateway replicas (two gateways admit up to twice the limit), never closed: a cache outage
/// must not refuse traffic that PostgreSQL can serve.
/// </para>
/// </summary>
public sealed class ProjectRateLimiter(RedisConnection redis, TimeProvider clock, ILogger<ProjectRateLimiter> logger)
{
    // KEYS: burst, sustained. ARGV: burst limit, sustained limit, burst window ms, sustained window ms.
    // Answers {admitted, burst count, burst ttl ms, sustained count, sustained ttl ms}.
    static readonly string Script = """
        local limits = {tonumber(ARGV[1]), tonumber(ARGV[2])}
        local windows = {tonumber(ARGV[3]), tonumber(ARGV[4])}
        local counts, ttls, admitted = {}, {}, 1
        for i = 1, 2 do
          ttls[i] = redis.call('PTTL', KEYS[i])
          if ttls[i] < 0 then
            redis.call('DEL', KEYS[i])
            counts[i], ttls[i] = 0, windows[i]
          else
            counts[i] = tonumber(redis.call('GET', KEYS[i]))
          end
          if counts[i] >= limits[i] then admitted = 0 end
        end
        if admitted == 1 then
          for i = 1, 2 do
            counts[i] = redis.call('INCR', KEYS[i])
            if counts[i] == 1 then redis.call('PEXPIRE', KEYS[i], windows[i]) end
          end
        end
        return {admitted, counts[1], ttls[1], counts[2], ttls[2]}
        """;

    readonly ConcurrentDictionary<(Guid, Bucket), LocalWindows> _local = new();
    long _lastFallbackWarning;

    public async ValueTask<RateLimitDecision> AcquireAsync(Guid projectId, Bucket bucket, BucketLimits limits)
    {
        if (redis.Database is { } db)
        {
            try
            {
                // One hash slot for both keys (Redis Cluster runs a script only on keys of one slot).
                var tag = $"lk:ratelimit:{{{projectId:N}:{bucket}}}";
                var r = (RedisResult[])(await db.ScriptEvaluateAsync(Script, [tag + ":burst", tag + ":sustained"],
                    [limits.Burst, limits.Sustained, (long)BucketLimits.BurstWindow.TotalMilliseconds, (long)BucketLimits.SustainedWindow.TotalMilliseconds]))!;
                return Decide((long)r[0] == 1, limits, (long)r[1], TimeSpan.FromMilliseconds((long)r[2]), (long)r[3], TimeSpan.FromMilliseconds((long)r[4]));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                WarnFallback(ex);
            }
        }
        return _local.GetOrAdd((projectId, bucket), _ => new LocalWindows()).Acquire(limits, clock.GetUtcNow());
    }

    internal static RateLimitDecision Decide(bool admitted, BucketLimits limits, long burstCount, TimeSpan burstTtl, long sustainedCount, TimeSpan sustainedTtl)
    {
        long burstLeft = Math.Max(0, limits.Burst - burstCount), sustainedLeft = Math.Max(0, limits.Sustained - sustainedCount);
        // The window that refuses (or would refuse first) is the one the headers describe; on a tie, the longer wait.
        var burstBinds = admitted ? burstLeft < sustainedLeft : sustainedLeft > 0;
        return burstBinds
            ? new RateLimitDecision(admitted, limits, limits.Burst, BucketLimits.BurstWindow, burstLeft, burstTtl)
            : new RateLimitDecision(admitted, limits, limits.Sustained, BucketLimits.SustainedWindow, sustainedLeft, sustainedTtl);
    }

    void WarnFallback(Exception ex)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var last = Interlocked.Read(ref _lastFallbackWarning);
        if (now - last >= 60 && Interlocked.CompareExchange(ref _lastFallbackWarning, now, last) == last)
            logger.LogWarning(ex, "Redis is unreachable: rate limits are counted per gateway replica until it is back.");
    }

    /// <summary>The in-process fallback: the same two windows, under a lock per project and bucket.</summary>
    sealed class LocalWindows
    {
        readonly Lock _gate = new();
        DateTimeOffset _burstEnds, _sustainedEnds;
        long _burst, _sustained;

        public RateLimitDecision Acquire(BucketLimits limits, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (now >= _burstEnds) (_burst, _burstEnds) = (0, now + BucketLimits.BurstWindow);
                if (now >= _sustainedEnds) (_sustained, _sustainedEnds) = (0, now + BucketLimits.SustainedWindow);
                var admitted = _burst < limits.Burst && _sustained < limits.Sustained;
                if (admitted)
                {
                    _burst++;
                    _sustained++;
                }
                return Decide(admitted, limits, _burst, _burstEnds - now, _sustained, _sustainedEnds - now);
            }
        }
    }
}
