using Npgsql;
using NpgsqlTypes;

namespace Latchkey.Storage.Usage;

/// <summary>The outcome of committing a flush from Redis.</summary>
public enum FlushOutcome
{
    Applied,

    /// <summary>Another replica found the flush abandoned and put its counts back into Redis; nothing was written.</summary>
    TakenOver,
}

/// <summary>
/// Daily usage in PostgreSQL. Counters are added and distinct counts raised in one statement per batch,
/// so any number of replicas can write at once; reads never take locks.
/// </summary>
public sealed class UsageStore(NpgsqlDataSource dataSource)
{
    const string UndefinedTable = "42P01";

    /// <summary>
    /// This deployment's id, created by whichever replica asks first. It scopes the Redis keys that list
    /// work for the flushers, so two deployments sharing a Redis never flush into each other's database.
    /// </summary>
    public async Task<string> DeploymentIdAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into {UsageSchema.Meta} (key, value) values ('deployment_id', replace(gen_random_uuid()::text, '-', '')) on conflict do nothing;
            select value from {UsageSchema.Meta} where key = 'deployment_id';
            """);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Adds the counters and raises the distinct counts in one transaction. With a <paramref name="flushId"/>
    /// (a flush from Redis), the id is committed with them; if a recovering replica claimed it first, nothing is written.
    /// </summary>
    public async Task<FlushOutcome> ApplyAsync(string? flushId, IEnumerable<UsageCount> counts, CancellationToken ct)
    {
        var rows = Combine(counts);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (flushId is not null)
        {
            await using var claim = new NpgsqlCommand($"insert into {UsageSchema.Flushes} (id, outcome) values (@id, 'applied') on conflict do nothing", connection, transaction);
            claim.Parameters.AddWithValue("id", flushId);
            if (await claim.ExecuteNonQueryAsync(ct) == 0) return FlushOutcome.TakenOver;
        }
        if (rows.Count > 0)
        {
            // Sorted, so that concurrent flushes lock rows in the same order and cannot deadlock each other.
            await using var upsert = new NpgsqlCommand($"""
                insert into {UsageSchema.Days} (project_id, workspace_id, day, metric, value)
                select * from unnest(@projects, @workspaces, @days, @metrics, @values) order by 1, 3, 4
                on conflict (project_id, day, metric) do update set
                    value = case when excluded.metric in ('{UsageMetrics.ActiveClients}', '{UsageMetrics.DistinctSubjects}')
                        then greatest({UsageSchema.Days}.value, excluded.value)
                        else {UsageSchema.Days}.value + excluded.value end,
                    updated_at = now()
                """, connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter("projects", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.ProjectId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("workspaces", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.WorkspaceId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("days", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = rows.Select(r => r.Day).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("metrics", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Metric).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.Value).ToArray() });
            await upsert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return FlushOutcome.Applied;
    }

    /// <summary>
    /// Decides the fate of a flush whose replica vanished: if it never committed, it is claimed as restored
    /// (and a late commit of it will find it taken over). True when the caller must put the counts back.
    /// </summary>
    public async Task<bool> ClaimAbandonedFlushAsync(string flushId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into {UsageSchema.Flushes} (id, outcome) values (@id, 'restored') on conflict do nothing;
            select outcome from {UsageSchema.Flushes} where id = @id;
            """);
        command.Parameters.AddWithValue("id", flushId);
        return (string?)await command.ExecuteScalarAsync(ct) == "restored";
    }

    /// <summary>Forgets flush ids old enough that no abandoned flush can still refer to them.</summary>
    public async Task PruneFlushesAsync(TimeSpan olderThan, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"delete from {UsageSchema.Flushes} where at < now() - $1");
        command.Parameters.Add(new NpgsqlParameter { Value = olderThan });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Every stored metric of a project between two days, inclusive.</summary>
    public async Task<IReadOnlyList<UsageCount>> ReadAsync(Guid projectId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select workspace_id, day, metric, value from {UsageSchema.Days} where project_id = $1 and day between $2 and $3 order by day, metric");
        command.Parameters.Add(new NpgsqlParameter { Value = projectId });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        var counts = new List<UsageCount>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                counts.Add(new UsageCount(projectId, reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetInt64(3)));
        }
        catch (PostgresException ex) when (ex.SqlState == UndefinedTable)
        {
            // No oauth2 service has started against this database yet, so nothing was ever counted.
        }
        return counts;
    }

    /// <summary>Access tokens of a project between two days, inclusive, as flushed so far.</summary>
    public async Task<long> TokensAsync(Guid projectId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select coalesce(sum(value), 0)::bigint from {UsageSchema.Days} where project_id = $1 and day between $2 and $3 and metric like '{UsageMetrics.TokensPrefix}%'");
        command.Parameters.Add(new NpgsqlParameter { Value = projectId });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        try
        {
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException ex) when (ex.SqlState == UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>One row per key: counters summed, distinct counts at their largest.</summary>
    static List<UsageCount> Combine(IEnumerable<UsageCount> counts) =>
        counts.GroupBy(c => (c.ProjectId, c.Day, c.Metric))
            .Select(g => g.First() with { Value = UsageMetrics.IsDistinct(g.Key.Metric) ? g.Max(c => c.Value) : g.Sum(c => c.Value) })
            .Where(c => c.Value > 0)
            .ToList();
}
