using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Latchkey.Storage.Usage;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Where counts go while Redis is unreachable: per-process counters that the flusher writes straight to
/// PostgreSQL. Distinct clients and subjects are remembered per day (up to a bound) and written as this
/// process's count, so a day that was partly counted here and partly in Redis reports the larger of the two.
/// </summary>
public sealed class LocalUsageBuffer
{
    const int MaxDistinctPerDay = 100_000;

    readonly ConcurrentDictionary<Key, StrongBox<long>> _counters = new();
    readonly ConcurrentDictionary<Key, ConcurrentDictionary<string, byte>> _distinct = new();

    readonly record struct Key(Guid ProjectId, Guid WorkspaceId, DateOnly Day, string Metric);

    public void Add(Guid projectId, Guid workspaceId, DateOnly day, string metric, long value) =>
        Interlocked.Add(ref _counters.GetOrAdd(new Key(projectId, workspaceId, day, metric), _ => new StrongBox<long>()).Value, value);

    public void AddDistinct(Guid projectId, Guid workspaceId, DateOnly day, string metric, string member)
    {
        var members = _distinct.GetOrAdd(new Key(projectId, workspaceId, day, metric), _ => new());
        if (members.Count < MaxDistinctPerDay) members.TryAdd(member, 0);
    }

    /// <summary>
    /// Takes every counter's value, leaving zero behind. Boxes stay in place (a request may hold one), except
    /// those of days long gone, which nothing adds to any more.
    /// </summary>
    public List<UsageCount> Drain(DateOnly today)
    {
        var counts = new List<UsageCount>();
        foreach (var (key, box) in _counters)
        {
            var value = Interlocked.Exchange(ref box.Value, 0);
            if (value != 0) counts.Add(new UsageCount(key.ProjectId, key.WorkspaceId, key.Day, key.Metric, value));
            else if (key.Day < today.AddDays(-1)) _counters.TryRemove(key, out _);
        }
        foreach (var (key, members) in _distinct)
        {
            if (key.Day < today.AddDays(-1)) _distinct.TryRemove(key, out _);
            else if (!members.IsEmpty) counts.Add(new UsageCount(key.ProjectId, key.WorkspaceId, key.Day, key.Metric, members.Count));
        }
        return counts;
    }

    /// <summary>Puts back counts that could not be written; distinct counts never left.</summary>
    public void Restore(IEnumerable<UsageCount> counts)
    {
        foreach (var count in counts.Where(c => !UsageMetrics.IsDistinct(c.Metric)))
            Add(count.ProjectId, count.WorkspaceId, count.Day, count.Metric, count.Value);
    }

    /// <summary>Tokens of a project counted here and not yet written, from a day on.</summary>
    public long PendingTokens(Guid projectId, DateOnly since) =>
        _counters.Where(c => c.Key.ProjectId == projectId && c.Key.Day >= since && c.Key.Metric.StartsWith(UsageMetrics.TokensPrefix, StringComparison.Ordinal))
            .Sum(c => Interlocked.Read(ref c.Value.Value));
}
