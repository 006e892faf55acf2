using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Storage.Usage;
using StackExchange.Redis;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Moves counts to PostgreSQL every few seconds (<c>LATCHKEY_USAGE_FLUSH_SECONDS</c>) and once more on a
/// graceful stop. Any number of replicas may run it at once:
/// <list type="number">
/// <item>A Lua script atomically renames a project-day's counter hash to a flush key of its own, records that
/// key in the in-flight index and reads the day's distinct counts (HyperLogLog cardinalities).</item>
/// <item>One PostgreSQL transaction adds the counters, raises the distinct counts and commits the flush id.</item>
/// <item>Then the flush keys are deleted. If the transaction fails, the flush is claimed as restored in
/// PostgreSQL (unless it did commit) and its counts go back into the live hash.</item>
/// <item>A flush left in flight by a replica that died is found later by any replica; the flush id in
/// PostgreSQL says whether it committed (delete it) or not (claim and restore it). Each count lands exactly once.</item>
/// </list>
/// Counts kept in process while Redis was down are written straight to PostgreSQL.
/// </summary>
public sealed class UsageFlusher(
    UsageSettings settings,
    UsageStore store,
    UsageMeter meter,
    LocalUsageBuffer local,
    RedisConnection redis,
    TimeProvider clock,
    ILogger<UsageFlusher> logger) : BackgroundService
{
    const int BatchSize = 500;
    const int MaxBatchesPerPass = 20;
    static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);
    static readonly TimeSpan KeepFlushIds = TimeSpan.FromDays(7);
    static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    // KEYS: day hash, flush key, clients HLL, subjects HLL, pending index, in-flight index.
    // ARGV: pending member, now (unix seconds), in-flight member.
    const string TakeScript = """
        redis.call('SREM', KEYS[5], ARGV[1])
        local fields = {}
        if redis.call('EXISTS', KEYS[1]) == 1 then
            redis.call('RENAME', KEYS[1], KEYS[2])
            redis.call('ZADD', KEYS[6], ARGV[2], ARGV[3])
            fields = redis.call('HGETALL', KEYS[2])
        end
        return {fields, redis.call('PFCOUNT', KEYS[3]), redis.call('PFCOUNT', KEYS[4])}
        """;

    // KEYS: flush key, day hash, pending index, in-flight index. ARGV: in-flight member, pending member.
    // Only whoever removes the in-flight entry puts the counts back, so they are restored at most once.
    const string RestoreScript = """
        if redis.call('ZREM', KEYS[4], ARGV[1]) == 0 then return 0 end
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do redis.call('HINCRBY', KEYS[2], fields[i], fields[i + 1]) end
        redis.call('DEL', KEYS[1])
        redis.call('SADD', KEYS[3], ARGV[2])
        return 1
        """;

    readonly SemaphoreSlim _flushing = new(1, 1);
    DateTimeOffset _prunedAt = DateTimeOffset.MinValue;

    /// <summary>Learns the deployment's id before the server takes requests, so counting goes to Redis from the first token.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        meter.UseScope(await store.DeploymentIdAsync(cancellationToken));
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.FlushInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception ex)
            {
                // Stopping: StopAsync flushes once more.
                if (stoppingToken.IsCancellationRequested) return;
                logger.LogWarning(ex, "Flushing usage failed; the counts stay where they are and the next flush retries.");
            }
        }
    }

    /// <summary>
    /// The requests have drained by now (the server stops first): write what is left, within a budget of its own
    /// (<see cref="ShutdownSettings.FinalWorkBudget"/>), since draining may have used up the host's timeout.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var budget = new CancellationTokenSource(ShutdownSettings.FinalWorkBudget, clock);
        try
        {
            await FlushAsync(budget.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The final usage flush failed; counts still in Redis are flushed by the next replica to run.");
        }
    }

    /// <summary>One pass: in-process counts, then Redis's pending project-days, then abandoned flushes.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            await FlushLocalAsync(ct);
            if (meter.Scope is { } scope && redis.Database is { } db)
            {
                await FlushRedisAsync(db, scope, ct);
                await RecoverAbandonedAsync(db, scope, ct);
            }
            if (clock.GetUtcNow() - _prunedAt > PruneEvery)
            {
                await store.PruneFlushesAsync(KeepFlushIds, ct);
                _prunedAt = clock.GetUtcNow();
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    async Task FlushLocalAsync(CancellationToken ct)
    {
        var counts = local.Drain(meter.Today);
        if (counts.Count == 0) return;
        try
        {
            await store.ApplyAsync(null, counts, ct);
        }
        catch
        {
            local.Restore(counts);
            throw;
        }
    }

    async Task FlushRedisAsync(IDatabase db, string scope, CancellationToken ct)
    {
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var members = (await db.SetRandomMembersAsync(UsageKeys.Pending(scope), BatchSize))
                .Select(m => PendingMember.TryParse(m, out var member) ? member : (PendingMember?)null)
                .OfType<PendingMember>()
                .ToList();
            if (members.Count == 0) return;

            var flushId = Guid.NewGuid().ToString("N");
            var now = clock.GetUtcNow().ToUnixTimeSeconds();
            var taken = await Task.WhenAll(members.Select(async member =>
            {
                var flushKey = UsageKeys.InFlight(member.ProjectId, member.Day, flushId);
                var result = (RedisResult[])(await db.ScriptEvaluateAsync(TakeScript,
                    [
                        UsageKeys.Day(member.ProjectId, member.Day), flushKey,
                        UsageKeys.Clients(member.ProjectId, member.Day), UsageKeys.Subjects(member.ProjectId, member.Day),
                        UsageKeys.Pending(scope), UsageKeys.InFlightIndex(scope),
                    ],
                    [member.ToString(), now, InFlightMember(member, flushId)]))!;
                return (Member: member, Fields: (RedisResult[])result[0]!, Clients: (long)result[1], Subjects: (long)result[2]);
            }));

            var counts = new List<UsageCount>();
            foreach (var (member, fields, clients, subjects) in taken)
            {
                for (var i = 0; i + 1 < fields.Length; i += 2)
                    counts.Add(new UsageCount(member.ProjectId, member.WorkspaceId, member.Day, (string)fields[i]!, (long)fields[i + 1]));
                counts.Add(new UsageCount(member.ProjectId, member.WorkspaceId, member.Day, UsageMetrics.ActiveClients, clients));
                counts.Add(new UsageCount(member.ProjectId, member.WorkspaceId, member.Day, UsageMetrics.DistinctSubjects, subjects));
            }
            var inFlight = taken.Where(t => t.Fields.Length > 0).Select(t => t.Member).ToList();

            FlushOutcome outcome;
            try
            {
                outcome = await store.ApplyAsync(inFlight.Count > 0 ? flushId : null, counts, ct);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Writing usage flush {FlushId} failed; putting its counts back.", flushId);
                await SettleAsync(db, scope, flushId, inFlight, CancellationToken.None);
                throw;
            }
            if (outcome == FlushOutcome.Applied) await ForgetAsync(db, scope, flushId, inFlight);
            if (members.Count < BatchSize) return;
        }
    }

    /// <summary>Flushes whose replica died between taking the counts and forgetting the flush keys.</summary>
    async Task RecoverAbandonedAsync(IDatabase db, string scope, CancellationToken ct)
    {
        var cutoff = (clock.GetUtcNow() - AbandonedAfter).ToUnixTimeSeconds();
        var entries = await db.SortedSetRangeByScoreAsync(UsageKeys.InFlightIndex(scope), double.NegativeInfinity, cutoff, take: BatchSize);
        var abandoned = entries
            .Select(e => ((string?)e ?? "").Split('#'))
            .Select(parts => (FlushId: parts.Length == 2 ? parts[1] : "", Valid: PendingMember.TryParse(parts[0], out var member), Member: member))
            .Where(e => e.Valid && e.FlushId.Length > 0)
            .GroupBy(e => e.FlushId);
        foreach (var flush in abandoned)
        {
            logger.LogWarning("Usage flush {FlushId} was abandoned by its replica; settling it.", flush.Key);
            await SettleAsync(db, scope, flush.Key, flush.Select(e => e.Member).ToList(), ct);
        }
    }

    /// <summary>PostgreSQL decides: if the flush committed, forget its keys; otherwise it is claimed and its counts go back.</summary>
    async Task SettleAsync(IDatabase db, string scope, string flushId, List<PendingMember> members, CancellationToken ct)
    {
        if (members.Count == 0) return;
        if (!await store.ClaimAbandonedFlushAsync(flushId, ct))
        {
            await ForgetAsync(db, scope, flushId, members);
            return;
        }
        foreach (var member in members)
        {
            await db.ScriptEvaluateAsync(RestoreScript,
                [UsageKeys.InFlight(member.ProjectId, member.Day, flushId), UsageKeys.Day(member.ProjectId, member.Day), UsageKeys.Pending(scope), UsageKeys.InFlightIndex(scope)],
                [InFlightMember(member, flushId), member.ToString()]);
        }
    }

    static async Task ForgetAsync(IDatabase db, string scope, string flushId, List<PendingMember> members)
    {
        if (members.Count == 0) return;
        await db.KeyDeleteAsync(members.Select(m => (RedisKey)UsageKeys.InFlight(m.ProjectId, m.Day, flushId)).ToArray());
        await db.SortedSetRemoveAsync(UsageKeys.InFlightIndex(scope), members.Select(m => (RedisValue)InFlightMember(m, flushId)).ToArray());
    }

    static string InFlightMember(PendingMember member, string flushId) => $"{member}#{flushId}";
}
