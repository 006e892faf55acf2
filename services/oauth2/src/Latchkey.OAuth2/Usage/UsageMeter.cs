using Latchkey.Storage;
using Latchkey.Storage.Usage;
using Latchkey.Tenancy;
using StackExchange.Redis;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Counts usage on the hot path without waiting for anything: one fire-and-forget Lua call to Redis
/// (counter, HyperLogLogs and the flush index change together, so a flush never sees half of them), or,
/// while Redis is unreachable, an in-process counter. <see cref="UsageFlusher"/> moves both to PostgreSQL.
/// </summary>
public sealed class UsageMeter(RedisConnection redis, LocalUsageBuffer local, TimeProvider clock, ILogger<UsageMeter> logger)
{
    // KEYS: day hash, clients HLL, subjects HLL, pending index. ARGV: field, client, subject, pending member, HLL lifetime.
    const string CountScript = """
        redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        if ARGV[2] ~= '' then redis.call('PFADD', KEYS[2], ARGV[2]) redis.call('EXPIRE', KEYS[2], ARGV[5]) end
        if ARGV[3] ~= '' then redis.call('PFADD', KEYS[3], ARGV[3]) redis.call('EXPIRE', KEYS[3], ARGV[5]) end
        redis.call('SADD', KEYS[4], ARGV[4])
        """;

    // A day's HyperLogLogs outlive the day, so its last flush still reads them.
    static readonly RedisValue DistinctLifetimeSeconds = (long)TimeSpan.FromDays(3).TotalSeconds;

    string? _scope;

    /// <summary>The deployment's id that scopes the flush index; until it is known, counts stay in process.</summary>
    public void UseScope(string scope) => _scope = scope;

    public string? Scope => _scope;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>An access token was issued: counted by grant type, with its client and, if it is an end user's, its subject.</summary>
    public void CountToken(ProjectInfo project, string grantType, string? clientId, string? subject) =>
        Count(project, UsageMetrics.Tokens(grantType), clientId, subject == clientId ? null : subject);

    public void CountAdminCall(ProjectInfo project) => Count(project, UsageMetrics.AdminCalls, null, null);

    void Count(ProjectInfo project, string metric, string? clientId, string? subject)
    {
        var day = Today;
        if (_scope is { } scope && redis.Database is { } db)
        {
            try
            {
                db.ScriptEvaluate(CountScript,
                    [UsageKeys.Day(project.Id, day), UsageKeys.Clients(project.Id, day), UsageKeys.Subjects(project.Id, day), UsageKeys.Pending(scope)],
                    [metric, clientId ?? "", subject ?? "", PendingMember.Format(project.Id, project.WorkspaceId, day), DistinctLifetimeSeconds],
                    CommandFlags.FireAndForget);
                return;
            }
            catch (RedisException ex)
            {
                logger.LogDebug(ex, "Redis refused a usage count; keeping it in process.");
            }
        }

        local.Add(project.Id, project.WorkspaceId, day, metric, 1);
        if (clientId is not null) local.AddDistinct(project.Id, project.WorkspaceId, day, UsageMetrics.ActiveClients, clientId);
        if (subject is not null) local.AddDistinct(project.Id, project.WorkspaceId, day, UsageMetrics.DistinctSubjects, subject);
    }
}
