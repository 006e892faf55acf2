using Marten;
using Npgsql;
using Weasel.Postgresql;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// Sign-in attempts per email address (known or not) in the current window, for throttling, in PostgreSQL so
/// every replica sees them. Counting is one <c>insert … on conflict do update … returning</c>: a burst of
/// concurrent guesses cannot all read the same old count, and none of them is lost.
/// </summary>
internal sealed class SignInFailures(NpgsqlDataSource dataSource)
{
    const string Table = "latchkey.console_sign_in_failures";

    /// <summary>The table, created and migrated by Marten with the documents at start-up.</summary>
    public static void Register(IServiceCollection services)
    {
        services.ConfigureMarten(options =>
        {
            var table = new Weasel.Postgresql.Tables.Table(new PostgresqlObjectName("latchkey", "console_sign_in_failures", SchemaUtils.IdentifierUsage.General));
            table.AddColumn<string>("email").AsPrimaryKey();
            table.AddColumn<int>("attempts").NotNull();
            table.AddColumn("window_started_at", "timestamp with time zone").NotNull();
            options.Storage.ExtendedSchemaObjects.Add(table);
        });
        services.AddSingleton<SignInFailures>();
    }

    /// <summary>
    /// Counts one attempt and answers the attempts of the window, this one included. A window older than
    /// <paramref name="window"/> starts over in the same statement.
    /// </summary>
    public async Task<int> CountAttemptAsync(string email, DateTimeOffset now, TimeSpan window, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into {Table} as f (email, attempts, window_started_at) values (@email, 1, @now)
            on conflict (email) do update set
                attempts = case when f.window_started_at <= @since then 1 else least(f.attempts, 1000000) + 1 end,
                window_started_at = case when f.window_started_at <= @since then @now else f.window_started_at end
            returning attempts
            """);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("now", now.UtcDateTime);
        command.Parameters.AddWithValue("since", (now - window).UtcDateTime);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A successful sign-in starts the count over.</summary>
    public async Task ClearAsync(string email, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"delete from {Table} where email = @email");
        command.Parameters.AddWithValue("email", email);
        await command.ExecuteNonQueryAsync(ct);
    }
}
