using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Latchkey.Storage;

/// <summary>
/// Attempts per key (an email address, known or not) in a fixed window, in one PostgreSQL table so every
/// replica sees them: what sign-in lock-outs count. Counting is one <c>insert … on conflict do update …
/// returning</c>, so a burst of concurrent guesses cannot all read the same old count and none is lost;
/// callers count first and check the password only when the answer is within their limit.
/// <c>scope</c> partitions the keys (a project's tenant id; empty where the keys are global).
/// </summary>
public sealed class AttemptCounter(NpgsqlDataSource database, string schema, string name)
{
    readonly string _table = $"{schema}.{name}";

    /// <summary>The table, for Marten's <c>Storage.ExtendedSchemaObjects</c>, so it is created with the documents.</summary>
    public static Table TableOf(string schema, string name)
    {
        var table = new Table(new PostgresqlObjectName(schema, name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("scope").AsPrimaryKey();
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn<int>("attempts").NotNull();
        table.AddColumn("window_started_at", "timestamptz").NotNull();
        return table;
    }

    /// <summary>
    /// Counts one attempt and answers the attempts of the window, this one included. A window older than
    /// <paramref name="window"/> starts over in the same statement.
    /// </summary>
    public async Task<int> CountAsync(string scope, string key, DateTimeOffset now, TimeSpan window, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            insert into {_table} as a (scope, key, attempts, window_started_at) values ($1, $2, 1, $3)
            on conflict (scope, key) do update set
                attempts = case when a.window_started_at <= $4 then 1 else least(a.attempts, 1000000) + 1 end,
                window_started_at = case when a.window_started_at <= $4 then excluded.window_started_at else a.window_started_at end
            returning attempts
            """);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(now.UtcDateTime);
        command.Parameters.AddWithValue((now - window).UtcDateTime);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Adds <paramref name="delta"/> attempts (a negative one refunds, never below zero; zero reads) and answers
    /// the window's count and when the window ends, in the same one statement as <see cref="CountAsync"/>.
    /// </summary>
    public async Task<(int Attempts, DateTimeOffset WindowEnds)> AddAsync(string scope, string key, int delta, DateTimeOffset now, TimeSpan window, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"""
            insert into {_table} as a (scope, key, attempts, window_started_at) values ($1, $2, greatest($5, 0), $3)
            on conflict (scope, key) do update set
                attempts = case when a.window_started_at <= $4 then greatest($5, 0) else greatest(least(a.attempts, 1000000) + $5, 0) end,
                window_started_at = case when a.window_started_at <= $4 then excluded.window_started_at else a.window_started_at end
            returning attempts, window_started_at
            """);
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(now.UtcDateTime);
        command.Parameters.AddWithValue((now - window).UtcDateTime);
        command.Parameters.AddWithValue(delta);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var started = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
        return (reader.GetInt32(0), started + window);
    }

    /// <summary>A success starts the count over.</summary>
    public async Task ClearAsync(string scope, string key, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"delete from {_table} where scope = $1 and key = $2");
        command.Parameters.AddWithValue(scope);
        command.Parameters.AddWithValue(key);
        await command.ExecuteNonQueryAsync(ct);
    }
}
