using System.Collections.Concurrent;
using Latchkey.Storage;
using Latchkey.Storage.Usage;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Answers "is this project over its monthly token quota?" from memory. Each project's month total is a
/// lower bound raised by every token this process issues and, in the background every few seconds
/// (<c>LATCHKEY_USAGE_QUOTA_REFRESH_SECONDS</c>), by what PostgreSQL and Redis hold for every replica. Only the
/// first token request of a project per process waits for that read. If the read fails, tokens are
/// still issued: metering must never take the token endpoint down.
/// </summary>
public sealed class QuotaGate(UsageSettings settings, UsageStore store, RedisConnection redis, LocalUsageBuffer local, TimeProvider clock, ILogger<QuotaGate> logger)
{
    readonly ConcurrentDictionary<Guid, Month> _months = new();

    sealed class Month(DateOnly start)
    {
        public DateOnly Start { get; } = start;
        public long Used;
        public long RefreshedAt;
        public int Refreshing;
        public Task? Loaded;
    }

    /// <summary>Null when the plan has no quota.</summary>
    public async ValueTask<QuotaStatus?> CheckAsync(Guid projectId, CancellationToken ct)
    {
        if (settings.MonthlyTokenQuota is not { } limit) return null;

        var now = clock.GetUtcNow();
        var start = new DateOnly(now.Year, now.Month, 1);
        if (!_months.TryGetValue(projectId, out var month) || month.Start != start)
            month = _months.AddOrUpdate(projectId, _ => new Month(start), (_, m) => m.Start == start ? m : new Month(start));
        if (month.Loaded is null)
        {
            lock (month) month.Loaded ??= RefreshAsync(projectId, month);
        }
        if (!month.Loaded.IsCompleted) await month.Loaded.WaitAsync(ct);
        else if (now.UtcTicks - Interlocked.Read(ref month.RefreshedAt) > settings.QuotaRefreshInterval.Ticks
            && Interlocked.CompareExchange(ref month.Refreshing, 1, 0) == 0)
        {
            _ = Task.Run(() => RefreshAsync(projectId, month), CancellationToken.None);
        }

        var resetsAt = new DateTimeOffset(start.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new QuotaStatus(limit, Interlocked.Read(ref month.Used), resetsAt);
    }

    /// <summary>This process issued a token for the project.</summary>
    public void Count(Guid projectId)
    {
        if (_months.TryGetValue(projectId, out var month)) Interlocked.Increment(ref month.Used);
    }

    async Task RefreshAsync(Guid projectId, Month month)
    {
        try
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            // PostgreSQL first, then Redis, then this process: a flush in between can only make the sum smaller.
            var total = await store.TokensAsync(projectId, month.Start, today, CancellationToken.None);
            if (redis.Database is { } db)
            {
                // Counts wait in Redis for seconds; a day before yesterday is flushed unless every flusher was down.
                var days = new[] { today.AddDays(-1), today }.Where(d => d >= month.Start);
                total += (await PendingUsage.ReadAsync(db, projectId, days))
                    .Where(c => c.Metric.StartsWith(UsageMetrics.TokensPrefix, StringComparison.Ordinal))
                    .Sum(c => c.Value);
            }
            total += local.PendingTokens(projectId, month.Start);

            // Only ever raised: tokens this process counted after the reads began are not lost.
            for (var used = Interlocked.Read(ref month.Used); total > used; used = Interlocked.Read(ref month.Used))
            {
                if (Interlocked.CompareExchange(ref month.Used, total, used) == used) break;
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Reading project {ProjectId}'s monthly token count failed; the quota check uses what it knows.", projectId);
        }
        finally
        {
            Interlocked.Exchange(ref month.RefreshedAt, clock.GetUtcNow().UtcTicks);
            Interlocked.Exchange(ref month.Refreshing, 0);
        }
    }
}
