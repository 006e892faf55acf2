using StackExchange.Redis;

namespace Latchkey.Storage.Usage;

/// <summary>
/// Counts still in Redis, not yet flushed to PostgreSQL. Read PostgreSQL first, then these: a flush
/// running in between can make a total briefly too small, never too large.
/// </summary>
public static class PendingUsage
{
    /// <summary>Counters and distinct counts of a project's days as Redis holds them now (workspace left empty).</summary>
    public static async Task<IReadOnlyList<UsageCount>> ReadAsync(IDatabase redis, Guid projectId, IEnumerable<DateOnly> days)
    {
        var batch = redis.CreateBatch();
        var reads = days.Select(day => (
            Day: day,
            Fields: batch.HashGetAllAsync(UsageKeys.Day(projectId, day)),
            Clients: batch.HyperLogLogLengthAsync(UsageKeys.Clients(projectId, day)),
            Subjects: batch.HyperLogLogLengthAsync(UsageKeys.Subjects(projectId, day)))).ToList();
        batch.Execute();
        await Task.WhenAll(reads.SelectMany(r => new Task[] { r.Fields, r.Clients, r.Subjects }));

        var counts = new List<UsageCount>();
        foreach (var (day, fields, clients, subjects) in reads)
        {
            foreach (var field in fields.Result)
            {
                if (field.Value.TryParse(out long value)) counts.Add(new UsageCount(projectId, Guid.Empty, day, field.Name!, value));
            }
            if (clients.Result > 0) counts.Add(new UsageCount(projectId, Guid.Empty, day, UsageMetrics.ActiveClients, clients.Result));
            if (subjects.Result > 0) counts.Add(new UsageCount(projectId, Guid.Empty, day, UsageMetrics.DistinctSubjects, subjects.Result));
        }
        return counts;
    }
}
