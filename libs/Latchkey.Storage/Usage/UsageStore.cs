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

    /// <summary>
    /// Forgets flush ids old enough that no abandoned flush can still refer to them, and the quota leases of months
    /// before the last one (usage keeps what was used).
    /// </summary>
    public async Task PruneFlushesAsync(TimeSpan olderThan, CancellationToken ct)
    {
        // A batch, not one command of two statements: PostgreSQL refuses several statements in a command with parameters.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"delete from {UsageSchema.Flushes} where at < now() - $1") { Parameters = { new() { Value = olderThan } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"delete from {UsageSchema.QuotaMonths} where month < date_trunc('month', now() at time zone 'utc') - interval '1 month'"));
        await batch.ExecuteNonQueryAsync(ct);
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

    /// <summary>
    /// Hands out up to <paramref name="want"/> of a project's monthly tokens, never more than a 64th of what is left
    /// (at least one), and none once <paramref name="limit"/> is reached: the row lock makes any number of replicas
    /// share the quota exactly. A month's first lease starts the count at <paramref name="usedSoFar"/> (what usage
    /// already holds), unless another replica started it. Returns the tokens leased and the month's reserved total.
    /// </summary>
    public async Task<(long Leased, long Reserved)> LeaseQuotaAsync(Guid projectId, DateOnly month, long limit, long want, long? usedSoFar, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        if (usedSoFar is { } used)
            batch.BatchCommands.Add(Command($"insert into {UsageSchema.QuotaMonths} (project_id, month, reserved) values ($1, $2, $3) on conflict do nothing", projectId, month, used));
        // Both assignments see the row as it was, after waiting for any other replica's lease of it.
        const string Lease = "case when reserved >= $3 then 0 else least($4, greatest(1, ($3 - reserved) / 64)) end";
        batch.BatchCommands.Add(Command($"""
            update {UsageSchema.QuotaMonths} set reserved = reserved + {Lease}, last_lease = {Lease}
            where project_id = $1 and month = $2
            returning last_lease, reserved
            """, projectId, month, limit, want));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            if (reader.FieldCount == 2 && await reader.ReadAsync(ct)) return (reader.GetInt64(0), reader.GetInt64(1));
        }
        while (await reader.NextResultAsync(ct));
        // No row: the month was never started, so the caller starts it with its usage.
        return (-1, 0);
    }

    /// <summary>Gives back leased tokens a replica did not use.</summary>
    public async Task ReturnQuotaAsync(Guid projectId, DateOnly month, long tokens, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"update {UsageSchema.QuotaMonths} set reserved = greatest(0, reserved - $3) where project_id = $1 and month = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = projectId });
        command.Parameters.Add(new NpgsqlParameter { Value = month });
        command.Parameters.Add(new NpgsqlParameter { Value = tokens });
        await command.ExecuteNonQueryAsync(ct);
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    /// <summary>One row per key: counters summed, distinct counts at their largest.</summary>
    static List<UsageCount> Combine(IEnumerable<UsageCount> counts) =>
        counts.GroupBy(c => (c.ProjectId, c.Day, c.Metric))
            .Select(g => g.First() with { Value = UsageMetrics.IsDistinct(g.Key.Metric) ? g.Max(c => c.Value) : g.Sum(c => c.Value) })
            .Where(c => c.Value > 0)
            .ToList();
}
