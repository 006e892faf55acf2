using System.Collections.Concurrent;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Storage.Usage;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Keeps a project within its monthly token quota exactly, however many replicas issue its tokens. A token request
/// takes one token from a lease this process holds; leases come from PostgreSQL
/// (<see cref="UsageStore.LeaseQuotaAsync"/>, one row lock per project and month), grow with how fast the project
/// draws (1 up to <see cref="MaxLease"/>) and are never more than a 64th of what is left, so a quota's last tokens
/// go one at a time. A request that ends without a token puts its token back; a lease not drawn on for
/// <see cref="IdleLease"/>, and every lease at shutdown, goes back to PostgreSQL, so tokens parked on a quiet replica
/// return to the others. A project over its quota is answered from memory for
/// <c>LATCHKEY_USAGE_QUOTA_REFRESH_SECONDS</c>, so refusing it costs no write. If PostgreSQL cannot be reached, the
/// request goes on unmetered: metering must never take the token endpoint down (which needs PostgreSQL anyway).
/// </summary>
public sealed class QuotaGate(UsageSettings settings, UsageStore store, RedisConnection redis, LocalUsageBuffer local, TimeProvider clock, ILogger<QuotaGate> logger)
    : BackgroundService
{
    const int MaxLease = 256;
    static readonly TimeSpan IdleLease = TimeSpan.FromSeconds(2);
    static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    readonly ConcurrentDictionary<Guid, Month> _months = new();

    /// <summary>A project's month as this process holds it; every field is guarded by locking the instance.</summary>
    sealed class Month(DateOnly start)
    {
        public DateOnly Start { get; } = start;

        /// <summary>Tokens leased to this process and not yet used.</summary>
        public long Available;

        /// <summary>The month's reserved total in PostgreSQL at the last lease or return.</summary>
        public long Reserved;

        public long LeaseSize = 1;
        public bool Started;
        public long LeasedAt;
        public long DrawnAt;
        public long ExhaustedUntil;
        public Task<bool>? Leasing;
    }

    /// <summary>
    /// Takes one token of the project's quota for a token request. Null when the plan has no quota or the quota
    /// could not be read; over quota, a status that is <see cref="QuotaStatus.Exceeded"/> and holds nothing.
    /// </summary>
    public async ValueTask<QuotaStatus?> TakeAsync(Guid projectId, CancellationToken ct)
    {
        if (settings.MonthlyTokenQuota is not { } limit) return null;

        var now = clock.GetUtcNow();
        var start = new DateOnly(now.Year, now.Month, 1);
        var resetsAt = new DateTimeOffset(start.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (!_months.TryGetValue(projectId, out var month) || month.Start != start)
            month = _months.AddOrUpdate(projectId, _ => new Month(start), (_, m) => m.Start == start ? m : new Month(start));

        while (true)
        {
            Task<bool> leasing;
            lock (month)
            {
                if (month.Available > 0)
                {
                    month.Available--;
                    month.DrawnAt = now.UtcTicks;
                    return new QuotaStatus(limit, month.Reserved - month.Available - 1, resetsAt);
                }
                if (month.ExhaustedUntil > now.UtcTicks) return new QuotaStatus(limit, Math.Max(limit, month.Reserved), resetsAt);
                leasing = month.Leasing ??= LeaseAsync(projectId, month, limit);
            }
            var leased = await leasing.WaitAsync(ct);
            lock (month)
            {
                if (month.Leasing == leasing) month.Leasing = null;
            }
            if (!leased) return null;
            now = clock.GetUtcNow();
        }
    }

    /// <summary>A request that took a token ended without one: the token goes back to this process's lease.</summary>
    public void Return(Guid projectId, QuotaStatus status)
    {
        if (status.Exceeded || !_months.TryGetValue(projectId, out var month)) return;
        lock (month)
        {
            if (month.Start == DateOnly.FromDateTime(status.ResetsAt.UtcDateTime).AddMonths(-1)) month.Available++;
        }
    }

    async Task<bool> LeaseAsync(Guid projectId, Month month, long limit)
    {
        try
        {
            long want;
            bool started;
            lock (month) (want, started) = (month.LeaseSize, month.Started);
            var (leased, reserved) = await store.LeaseQuotaAsync(projectId, month.Start, limit, want,
                started ? null : await UsedSoFarAsync(projectId, month.Start), CancellationToken.None);
            if (leased < 0)
            {
                // Started before, and the row is gone (a purge): start it again from usage.
                (leased, reserved) = await store.LeaseQuotaAsync(projectId, month.Start, limit, want,
                    await UsedSoFarAsync(projectId, month.Start), CancellationToken.None);
            }

            var now = clock.GetUtcNow().UtcTicks;
            lock (month)
            {
                month.Started = true;
                month.Reserved = reserved;
                if (leased > 0)
                {
                    // The last lease went within a second: the next one is twice as big.
                    if (now - month.LeasedAt < TimeSpan.TicksPerSecond) month.LeaseSize = Math.Min(MaxLease, month.LeaseSize * 2);
                    month.Available += leased;
                    month.LeasedAt = now;
                }
                else
                {
                    month.ExhaustedUntil = now + settings.QuotaRefreshInterval.Ticks;
                }
            }
            return true;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Leasing tokens of project {ProjectId}'s monthly quota failed; the request goes on unmetered.", projectId);
            return false;
        }
    }

    /// <summary>The month's tokens as usage holds them: PostgreSQL, then Redis, then this process.</summary>
    async Task<long> UsedSoFarAsync(Guid projectId, DateOnly monthStart)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var total = await store.TokensAsync(projectId, monthStart, today, CancellationToken.None);
        if (redis.Database is { } db)
        {
            // Counts wait in Redis for seconds; a day before yesterday is flushed unless every flusher was down.
            var days = new[] { today.AddDays(-1), today }.Where(d => d >= monthStart);
            total += (await PendingUsage.ReadAsync(db, projectId, days))
                .Where(c => c.Metric.StartsWith(UsageMetrics.TokensPrefix, StringComparison.Ordinal))
                .Sum(c => c.Value);
        }
        return total + local.PendingTokens(projectId, monthStart);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await ReturnLeasesAsync(idleOnly: true, stoppingToken);
    }

    /// <summary>The requests have drained by now (the server stops first): every lease goes back.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var budget = new CancellationTokenSource(ShutdownSettings.FinalWorkBudget, clock);
        await ReturnLeasesAsync(idleOnly: false, budget.Token);
    }

    /// <summary>Gives back unused leases (only those not drawn on lately, unless <paramref name="idleOnly"/> is false) and forgets quiet projects.</summary>
    public async Task ReturnLeasesAsync(bool idleOnly, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcTicks;
        foreach (var (projectId, month) in _months)
        {
            long tokens;
            lock (month)
            {
                var quietFor = now - Math.Max(month.DrawnAt, month.LeasedAt);
                if (month.Available == 0)
                {
                    if (quietFor > ForgetAfter.Ticks && month.Leasing is null) _months.TryRemove(new(projectId, month));
                    continue;
                }
                if (idleOnly && quietFor < IdleLease.Ticks) continue;
                tokens = month.Available;
                month.Available = 0;
                month.Reserved -= tokens;
                month.LeaseSize = Math.Max(1, month.LeaseSize / 4);
            }
            try
            {
                await store.ReturnQuotaAsync(projectId, month.Start, tokens, ct);
            }
            catch (Exception ex)
            {
                lock (month)
                {
                    month.Available += tokens;
                    month.Reserved += tokens;
                }
                if (ct.IsCancellationRequested) return;
                logger.LogWarning(ex, "Returning {Tokens} unused quota tokens of project {ProjectId} failed; the next pass retries.", tokens, projectId);
            }
        }
    }
}
