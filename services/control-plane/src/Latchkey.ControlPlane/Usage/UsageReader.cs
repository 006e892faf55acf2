using Latchkey.Storage;
using Latchkey.Storage.Usage;

namespace Latchkey.ControlPlane.Usage;

/// <summary>
/// A project's daily usage: what the oauth2 service flushed to PostgreSQL, plus what still waits in Redis
/// for the last two days (flushes run every few seconds, so older days are complete in PostgreSQL).
/// </summary>
internal sealed class UsageReader(UsageStore store, RedisConnection redis)
{
    public async Task<IReadOnlyList<UsageCount>> ReadAsync(Guid projectId, DateOnly from, DateOnly to, DateOnly today, CancellationToken ct)
    {
        var counts = (await store.ReadAsync(projectId, from, to, ct)).ToList();
        var recent = new[] { today.AddDays(-1), today }.Where(d => d >= from && d <= to).ToList();
        if (recent.Count > 0 && redis.Database is { } db) counts.AddRange(await PendingUsage.ReadAsync(db, projectId, recent));
        return counts;
    }

    public static UsageJson ToJson(Guid projectId, DateOnly from, DateOnly to, IReadOnlyList<UsageCount> counts, UsagePlanJson plan)
    {
        var byDay = counts.ToLookup(c => c.Day);
        var days = new List<UsageDayJson>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var metrics = byDay[day].ToList();
            var tokens = metrics.Where(c => c.Metric.StartsWith(UsageMetrics.TokensPrefix, StringComparison.Ordinal))
                .GroupBy(c => c.Metric[UsageMetrics.TokensPrefix.Length..])
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
            days.Add(new UsageDayJson(
                UsageKeys.Format(day),
                tokens,
                tokens.Values.Sum(),
                metrics.Where(c => c.Metric == UsageMetrics.AdminCalls).Sum(c => c.Value),
                // Flushed and pending values are the same HyperLogLog read at two moments: the later is the larger.
                metrics.Where(c => c.Metric == UsageMetrics.ActiveClients).Select(c => c.Value).DefaultIfEmpty().Max(),
                metrics.Where(c => c.Metric == UsageMetrics.DistinctSubjects).Select(c => c.Value).DefaultIfEmpty().Max()));
        }

        var totals = new UsageTotalsJson(
            days.SelectMany(d => d.Tokens).GroupBy(t => t.Key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(t => t.Value)),
            days.Sum(d => d.TokensTotal),
            days.Sum(d => d.AdminCalls),
            days.Select(d => d.ActiveClients).DefaultIfEmpty().Max(),
            days.Select(d => d.DistinctSubjects).DefaultIfEmpty().Max());
        return new UsageJson(projectId, UsageKeys.Format(from), UsageKeys.Format(to), days, totals, plan);
    }
}
