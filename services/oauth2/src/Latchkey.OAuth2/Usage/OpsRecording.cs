using System.Diagnostics;
using Latchkey.OAuth2.Server;
using Latchkey.Storage;
using Latchkey.Storage.Ops;
using StackExchange.Redis;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Per-project request count, error counts and latency histogram of the token, introspection and
/// authorization endpoints, per UTC minute (<see cref="OpsKeys"/>): one fire-and-forget Lua call per request.
/// Best effort: while Redis is unreachable nothing is recorded. Second in <see cref="OAuth2App"/>'s
/// pipeline, after <see cref="AdminCallCounting"/>, so the time includes project resolution.
/// </summary>
public sealed class OpsRecording(RequestDelegate next, RedisConnection redis, TimeProvider clock, ILogger<OpsRecording> logger)
{
    // KEYS: minute hash. ARGV: endpoint, status class field ('' when none), latency bucket, lifetime seconds.
    const string RecordScript = """
        redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':requests', 1)
        if ARGV[2] ~= '' then redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':' .. ARGV[2], 1) end
        redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':le:' .. ARGV[3], 1)
        redis.call('EXPIRE', KEYS[1], ARGV[4])
        """;

    static readonly RedisValue LifetimeSeconds = (long)OpsKeys.Lifetime.TotalSeconds;

    public async Task InvokeAsync(HttpContext http)
    {
        if (OpsKeys.EndpointOf(http.Request.Path.Value) is not { } endpoint)
        {
            await next(http);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(http);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            Record(http, endpoint, failed ? 500 : http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    void Record(HttpContext http, string endpoint, int status, double elapsedMs)
    {
        if (http.RequestServices.GetService<ProjectContext>() is not { IsResolved: true } context || redis.Database is not { } db) return;
        var statusField = status >= 500 ? "errors" : status >= 400 ? "client_errors" : "";
        try
        {
            db.ScriptEvaluate(RecordScript,
                [OpsKeys.Minute(context.Project.Id, clock.GetUtcNow())],
                [endpoint, statusField, OpsKeys.Bucket(elapsedMs), LifetimeSeconds],
                CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            logger.LogDebug(ex, "Redis refused an ops sample; dropping it (ops metrics are best effort).");
        }
    }
}
