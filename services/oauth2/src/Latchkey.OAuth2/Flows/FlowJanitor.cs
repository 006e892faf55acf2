using Latchkey.OAuth2.Storage;
using Npgsql;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Deletes, for every project at once, what can no longer be used: login/consent flows that expired before
/// completing, expired logout flows and expired login sessions. Completed flows stay: they are the consent
/// sessions, and /userinfo reads the claims of the consent a token came from. Safe on many replicas at once.
/// </summary>
public sealed class FlowJanitor(IOAuth2Store store, NpgsqlDataSource database, TimeProvider clock, ILogger<FlowJanitor> logger) : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromMinutes(10);
    const int Batch = 5_000;

    const string Expired = "(data ->> 'expires_at')::timestamptz < $1";

    readonly (string Table, string Condition)[] _sweeps =
    [
        (OAuth2Schema.TableOf<LoginConsentFlow>(store), $"data ->> 'state' <> '{FlowState.Completed}' and {Expired}"),
        (OAuth2Schema.TableOf<LogoutFlow>(store), Expired),
        (OAuth2Schema.TableOf<LoginSession>(store), Expired),
    ];

    /// <summary>One pass; returns how many documents were deleted.</summary>
    public async Task<long> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        long deleted = 0;
        foreach (var (table, condition) in _sweeps)
        {
            int rows;
            do
            {
                // Small batches keep each transaction short on a large table.
                await using var command = database.CreateCommand($"delete from {table} where ctid in (select ctid from {table} where {condition} limit {Batch})");
                command.Parameters.Add(new NpgsqlParameter { Value = now });
                rows = await command.ExecuteNonQueryAsync(ct);
                deleted += rows;
            }
            while (rows == Batch);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var deleted = await SweepAsync(clock.GetUtcNow(), stoppingToken);
                if (deleted > 0) logger.LogInformation("Deleted {Count} expired flows and login sessions", deleted);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Sweeping expired flows failed; retrying in {Every}", Every);
            }
        }
    }
}
