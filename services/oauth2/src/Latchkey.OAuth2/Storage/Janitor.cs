using System.Diagnostics;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Device;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Trust;
using Latchkey.Storage;
using Marten;
using Npgsql;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Storage;

/// <summary>One table's part of a run: how many rows went, in how many DELETE statements, the largest of them.</summary>
public sealed record SweepReport(JanitorTargets Target, string Name, string Table, long Deleted, int Batches, int LargestBatch);

/// <summary>What a run deleted, sweep by sweep, against which cut-off, and how long it took.</summary>
public sealed record JanitorReport(DateTimeOffset Cutoff, IReadOnlyList<SweepReport> Sweeps, TimeSpan Elapsed)
{
    public long Deleted => Sweeps.Sum(s => s.Deleted);
}

/// <summary>
/// Deletes, for every project at once, what can no longer be used (Hydra's <c>janitor</c>): expired tokens,
/// dead authorizations, abandoned flows, expired sessions and stale sign-in failure records, and every row of
/// deleted projects. Each DELETE removes at most <see cref="JanitorOptions.BatchSize"/> rows in its own short
/// transaction, so no table is locked for long; rows are chosen <c>for update skip locked</c>, so any number of
/// janitors (the hosted service on every replica, the CronJob) run at once without waiting for or counting
/// each other's rows. Completed login/consent flows stay: they are the consent sessions /userinfo reads.
/// Redeemed codes and refresh tokens stay until they expire: presenting one again revokes its whole chain.
/// </summary>
public sealed class Janitor
{
    /// <summary>No sign-in throttle counts over a window longer than this: older records count nothing.</summary>
    public static readonly TimeSpan LongestAttemptWindow = TimeSpan.FromDays(1);

    readonly NpgsqlDataSource _database;
    readonly TimeProvider _clock;
    readonly IReadOnlyList<Sweep> _sweeps;

    /// <param name="oauth2">The oauth2 store (its document tables).</param>
    /// <param name="platform">The platform store of schema <c>latchkey</c> (projects, API keys).</param>
    public Janitor(NpgsqlDataSource database, IDocumentStore oauth2, IDocumentStore platform, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(oauth2);
        ArgumentNullException.ThrowIfNull(platform);
        _database = database;
        _clock = clock;
        _sweeps = SweepsOf(oauth2, platform);
    }

    /// <summary>A condition over one row; <c>$1</c> is the cut-off.</summary>
    sealed record Sweep(JanitorTargets Target, string Name, string Table, string Condition, bool Optional = false);

    static List<Sweep> SweepsOf(IDocumentStore oauth2, IDocumentStore platform)
    {
        string Oauth2Table<T>() => OAuth2Schema.TableOf<T>(oauth2);
        var tokens = Oauth2Table<TokenEntry>();
        var projects = OAuth2Schema.TableOf<StoredProject>(platform);
        var apiKeys = OAuth2Schema.TableOf<ApiKey>(platform);
        const string Expired = "(data ->> 'expires_at')::timestamptz < $1";
        // Project ids as tenant ids (ProjectInfo.TenantId: 32 hex digits), of projects deleted before the cut-off.
        var deleted = $"""
            select replace(p.id::text, '-', '') from {projects} p
            where p.data ->> 'state' = '{ProjectState.Deleted}' and (p.data ->> 'updated_at')::timestamptz < $1
            """;

        List<Sweep> sweeps =
        [
            new(JanitorTargets.Tokens, "tokens", tokens, $"""
                (data ->> 'expiration_date')::timestamptz < $1
                or (data ->> 'status' in ('{Statuses.Revoked}', '{Statuses.Rejected}') and (data ->> 'creation_date')::timestamptz < $1)
                """),
            // After the tokens: an ad hoc authorization lives as long as one of its tokens is valid (OpenIddict's rule).
            new(JanitorTargets.Grants, "authorizations", Oauth2Table<AuthorizationEntry>(), $"""
                (data ->> 'creation_date')::timestamptz < $1
                and (coalesce(data ->> 'status', '') <> '{Statuses.Valid}'
                     or (data ->> 'type' = '{AuthorizationTypes.AdHoc}' and not exists (
                         select 1 from {tokens} t
                         where t.tenant_id = {Oauth2Table<AuthorizationEntry>()}.tenant_id
                           and t.data ->> 'authorization_id' = {Oauth2Table<AuthorizationEntry>()}.id::text
                           and t.data ->> 'status' = '{Statuses.Valid}')))
                """),
            new(JanitorTargets.Requests, "login/consent flows", Oauth2Table<LoginConsentFlow>(), $"data ->> 'state' <> '{FlowState.Completed}' and {Expired}"),
            new(JanitorTargets.Requests, "logout flows", Oauth2Table<LogoutFlow>(), Expired),
            new(JanitorTargets.Sessions, "login sessions", Oauth2Table<LoginSession>(), Expired),
            new(JanitorTargets.Requests, "device requests", Oauth2Table<DeviceRequest>(), Expired),
            new(JanitorTargets.Grants, "used assertion ids (jti)", $"{OAuth2Schema.Name}.{AssertionJtis.Table}", "expires_at < $1"),
            new(JanitorTargets.Sessions, "hosted sign-in failures", $"{OAuth2Schema.Name}.{OAuth2Schema.HostedLoginFailures}", StaleAttempts),
            new(JanitorTargets.Sessions, "client authentication failures", $"{OAuth2Schema.Name}.{OAuth2Schema.ClientAuthAttempts}", StaleAttempts),
            new(JanitorTargets.Sessions, "device user code attempts", $"{OAuth2Schema.Name}.{OAuth2Schema.DeviceUserCodeAttempts}", StaleAttempts),
            new(JanitorTargets.Sessions, "console session keys", apiKeys, $"data ->> 'name' = '{ApiKey.ConsoleSessionName}' and {Expired}"),
            // The control plane's tables: absent where only oauth2's schema was migrated.
            new(JanitorTargets.Sessions, "console account sessions", ConsoleTables.AccountSessions,
                $"not exists (select 1 from {apiKeys} k where k.id = {ConsoleTables.AccountSessions}.id)", Optional: true),
            new(JanitorTargets.Sessions, "console sign-in failures", ConsoleTables.SignInFailures, StaleAttempts, Optional: true),
        ];
        foreach (var type in oauth2.Options.AllKnownDocumentTypes().OrderBy(t => t.TableName.QualifiedName, StringComparer.Ordinal))
            sweeps.Add(new(JanitorTargets.Projects, "deleted projects", type.TableName.QualifiedName, $"tenant_id in ({deleted})"));
        foreach (var attempts in new[] { OAuth2Schema.HostedLoginFailures, OAuth2Schema.DeviceUserCodeAttempts })
            sweeps.Add(new(JanitorTargets.Projects, "deleted projects", $"{OAuth2Schema.Name}.{attempts}", $"scope in ({deleted})"));
        sweeps.Add(new(JanitorTargets.Projects, "deleted projects", $"{OAuth2Schema.Name}.{AssertionJtis.Table}", $"tenant_id in ({deleted})"));
        return sweeps;
    }

    static readonly string StaleAttempts = $"window_started_at < $1 - interval '{(int)LongestAttemptWindow.TotalSeconds} seconds'";

    /// <summary>One run: every sweep <paramref name="options"/> selects, in order, each until nothing is left or the limit is reached.</summary>
    public async Task<JanitorReport> RunAsync(JanitorOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cutoff = _clock.GetUtcNow() - options.KeepIfYounger;
        var started = Stopwatch.GetTimestamp();
        var reports = new List<SweepReport>();
        foreach (var sweep in _sweeps.Where(s => options.Targets.HasFlag(s.Target)))
        {
            if (sweep.Optional && !await ExistsAsync(sweep.Table, ct)) continue;
            reports.Add(await RunAsync(sweep, cutoff, options, ct));
        }
        return new JanitorReport(cutoff, reports, Stopwatch.GetElapsedTime(started));
    }

    async Task<SweepReport> RunAsync(Sweep sweep, DateTimeOffset cutoff, JanitorOptions options, CancellationToken ct)
    {
        long deleted = 0;
        int batches = 0, largest = 0;
        while (true)
        {
            var size = options.Limit is { } limit ? (int)Math.Min(options.BatchSize, limit - deleted) : options.BatchSize;
            if (size <= 0) break;
            // Rows another janitor is deleting (or a request is updating) are skipped, not waited for.
            await using var command = _database.CreateCommand($"""
                delete from {sweep.Table} where ctid in (
                    select ctid from {sweep.Table} where {sweep.Condition} limit {size} for update skip locked)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = cutoff.UtcDateTime });
            var rows = await command.ExecuteNonQueryAsync(ct);
            if (rows == 0) break;
            deleted += rows;
            batches++;
            largest = Math.Max(largest, rows);
            if (rows < size) break;
        }
        return new SweepReport(sweep.Target, sweep.Name, sweep.Table, deleted, batches, largest);
    }

    async Task<bool> ExistsAsync(string table, CancellationToken ct)
    {
        await using var command = _database.CreateCommand("select to_regclass($1) is not null");
        command.Parameters.AddWithValue(table);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
