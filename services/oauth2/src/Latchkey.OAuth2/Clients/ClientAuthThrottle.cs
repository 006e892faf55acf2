using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Latchkey.OAuth2.Storage;
using Latchkey.Storage;
using Npgsql;
using StackExchange.Redis;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Failed client authentications per client (in its project) and per source address, in one-minute windows.
/// Over the limit, a client or source is refused before its secret is looked at, so a burst of guesses
/// neither tests secrets nor burns the CPU that every project's token requests share (a chosen secret costs
/// a PBKDF2 run per guess). Counted in Redis so replicas share the count (one Lua script per count); while
/// Redis is away, in PostgreSQL (<see cref="OAuth2Schema.ClientAuthAttempts"/>, one upsert per count), never per
/// process, which would give each replica its own limit. With neither reachable the check throws, and the
/// request is answered 503 <c>temporarily_unavailable</c>: the throttle fails closed, no guess goes unlimited.
/// An attempt is counted before its secret is checked and refunded when the secret was right, so a
/// concurrent burst cannot slip past the limit between a read and a write.
/// </summary>
public sealed class ClientAuthThrottle(RedisConnection redis, NpgsqlDataSource database, TimeProvider clock, ILogger<ClientAuthThrottle> logger)
{
    public const int MaxFailuresPerClient = 10;
    public const int MaxFailuresPerSource = 100;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Adds ARGV[1] to the count, starts the window when the key has none, returns {count, ms left}.
    const string AddScript = """
        local n = redis.call('INCRBY', KEYS[1], ARGV[1])
        if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return {n, redis.call('PTTL', KEYS[1])}
        """;

    // Both counts and their ms left in one round trip: {client count, ms, source count, ms}.
    const string ReadScript = """
        return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1]),
                tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('PTTL', KEYS[2])}
        """;

    readonly AttemptCounter _fallback = new(database, OAuth2Schema.Name, OAuth2Schema.ClientAuthAttempts);

    static string ClientKey(string tenant, string clientId) => $"lk:client-auth:client:{tenant}:{clientId}";

    static string SourceKey(IPAddress? source) => $"lk:client-auth:source:{source?.ToString() ?? "unknown"}";

    /// <summary>
    /// Keys this replica counted an attempt for in the current window. Only those can be over the limit as far
    /// as this replica knows, so every other request — nearly all of them — is let through without asking
    /// Redis: the token path pays no round trip for a client that has not failed. A burst spread over N
    /// replicas costs at most one unthrottled attempt per replica before each starts asking; slow checks are
    /// rationed by <see cref="TryBeginAsync"/> whatever this says.
    /// </summary>
    readonly ConcurrentDictionary<string, DateTimeOffset> _counted = new();

    void Counted(string key)
    {
        var now = clock.GetUtcNow();
        if (_counted.Count > 100_000)
        {
            foreach (var (stale, until) in _counted)
            {
                if (until <= now) _counted.TryRemove(stale, out _);
            }
        }
        _counted[key] = now + Window;
    }

    bool CountedLately(string key) => _counted.TryGetValue(key, out var until) && until > clock.GetUtcNow();

    /// <summary>How long until this client, from this source, may try again; null when it may now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string tenant, string clientId, IPAddress? source)
    {
        string clientKey = ClientKey(tenant, clientId), sourceKey = SourceKey(source);
        if (!CountedLately(clientKey) && !CountedLately(sourceKey)) return null;
        (long Count, TimeSpan Left) client, origin;
        if (await ReadRedisAsync(clientKey, sourceKey) is { } counts) (client, origin) = counts;
        else (client, origin) = (await FallbackAsync(clientKey, 0), await FallbackAsync(sourceKey, 0));
        if (client.Count >= MaxFailuresPerClient) return client.Left;
        return origin.Count >= MaxFailuresPerSource ? origin.Left : null;
    }

    async Task<((long, TimeSpan) Client, (long, TimeSpan) Source)?> ReadRedisAsync(string clientKey, string sourceKey)
    {
        if (redis.Database is not { } db) return null;
        try
        {
            var r = (RedisResult[])(await db.ScriptEvaluateAsync(ReadScript, [clientKey, sourceKey]))!;
            return (((long)r[0], Left((long)r[1])), ((long)r[2], Left((long)r[3])));
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "Redis refused to read client authentication counts; reading them in PostgreSQL.");
            return null;
        }
    }

    static TimeSpan Left(long milliseconds) => milliseconds > 0 ? TimeSpan.FromMilliseconds(milliseconds) : Window;

    /// <summary>
    /// A failed check that was not counted before it ran (see <see cref="TryBeginAsync"/>): for generated
    /// secrets, whose check costs microseconds and which no one can guess, only failures are counted.
    /// </summary>
    public async Task FailedAsync(string tenant, string clientId, IPAddress? source)
    {
        await AddAsync(ClientKey(tenant, clientId), 1);
        await AddAsync(SourceKey(source), 1);
    }

    /// <summary>Counts an attempt before its secret is checked. False when it is over the limit: then do not check it.</summary>
    public async Task<bool> TryBeginAsync(string tenant, string clientId, IPAddress? source)
    {
        var (clientCount, _) = await AddAsync(ClientKey(tenant, clientId), 1);
        var (sourceCount, _) = await AddAsync(SourceKey(source), 1);
        return clientCount <= MaxFailuresPerClient && sourceCount <= MaxFailuresPerSource;
    }

    /// <summary>The secret was right: the attempt counted by <see cref="TryBeginAsync"/> is not a failure.</summary>
    public async Task SucceededAsync(string tenant, string clientId, IPAddress? source)
    {
        await AddAsync(ClientKey(tenant, clientId), -1);
        await AddAsync(SourceKey(source), -1);
    }

    async Task<(long Count, TimeSpan Left)> AddAsync(string key, long delta)
    {
        if (delta > 0) Counted(key);
        if (redis.Database is { } db)
        {
            try
            {
                var result = (RedisResult[])(await db.ScriptEvaluateAsync(AddScript, [key], [delta, (long)Window.TotalMilliseconds]))!;
                return ((long)result[0], Left((long)result[1]));
            }
            catch (RedisException ex)
            {
                logger.LogDebug(ex, "Redis refused a client authentication count; counting in PostgreSQL.");
            }
        }
        return await FallbackAsync(key, delta);
    }

    /// <summary>The count in PostgreSQL, shared by every replica; throws when PostgreSQL is unreachable too.</summary>
    async Task<(long Count, TimeSpan Left)> FallbackAsync(string key, long delta)
    {
        var now = clock.GetUtcNow();
        var (attempts, ends) = await _fallback.AddAsync("", key, (int)delta, now, Window, CancellationToken.None);
        return (attempts, ends > now ? ends - now : Window);
    }

    /// <summary>Seconds for a Retry-After header: whole, and at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan left) =>
        Math.Max(1, (long)Math.Ceiling(left.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
