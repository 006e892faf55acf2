using Latchkey.Storage;
using Marten;
using Npgsql;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// How often the service runs the <see cref="Janitor"/> itself: <c>LATCHKEY_JANITOR_INTERVAL</c> (a duration such as
/// <c>10m</c>, the default; <c>0</c> or <c>off</c> turns it off, e.g. where the chart's CronJob runs it instead) and
/// <c>LATCHKEY_JANITOR_KEEP_IF_YOUNGER</c> (its <c>--keep-if-younger</c>, default 0).
/// </summary>
public sealed record JanitorSettings(TimeSpan? Interval, TimeSpan KeepIfYounger)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(10);

    public static JanitorSettings From(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var interval = config["LATCHKEY_JANITOR_INTERVAL"];
        var keep = config["LATCHKEY_JANITOR_KEEP_IF_YOUNGER"];
        TimeSpan? every = string.IsNullOrWhiteSpace(interval) ? DefaultInterval
            : interval.Trim() is "off" or "0" ? null
            : JanitorOptions.TryParseDuration(interval.Trim(), out var parsed) && parsed >= TimeSpan.FromSeconds(1) && parsed <= TimeSpan.FromDays(7) ? parsed
            : throw new InvalidOperationException($"LATCHKEY_JANITOR_INTERVAL must be a duration from 1s to 168h (such as 10m), or off, not '{interval}'.");
        var keepIfYounger = string.IsNullOrWhiteSpace(keep) ? TimeSpan.Zero
            : JanitorOptions.TryParseDuration(keep.Trim(), out var younger) && younger <= JanitorOptions.MaxKeep ? younger
            : throw new InvalidOperationException($"LATCHKEY_JANITOR_KEEP_IF_YOUNGER must be a duration such as 24h, not '{keep}'.");
        return new JanitorSettings(every, keepIfYounger);
    }
}

/// <summary>
/// Runs the <see cref="Janitor"/> every <see cref="JanitorSettings.Interval"/> on every replica, the first time one
/// interval after start-up. Replicas that sweep at the same moment stay out of each other's way: the janitor's
/// batches skip rows another is deleting.
/// </summary>
public sealed class JanitorService(Janitor janitor, JanitorSettings settings, TimeProvider clock, ILogger<JanitorService> logger) : BackgroundService
{
    public static void Register(IServiceCollection services, IConfiguration config)
    {
        var settings = JanitorSettings.From(config);
        services.AddSingleton(settings);
        services.AddSingleton(sp => new Janitor(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<IOAuth2Store>(), sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<TimeProvider>()));
        if (settings.Interval is not null) services.AddHostedService<JanitorService>();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = settings.Interval ?? JanitorSettings.DefaultInterval;
        try
        {
            using var timer = new PeriodicTimer(every, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var report = await janitor.RunAsync(new JanitorOptions { KeepIfYounger = settings.KeepIfYounger }, stoppingToken);
                    if (report.Deleted > 0)
                        logger.LogInformation("Janitor deleted {Count} rows in {Seconds:0.0} s ({Sweeps})", report.Deleted, report.Elapsed.TotalSeconds,
                            string.Join(", ", report.Sweeps.Where(s => s.Deleted > 0).Select(s => $"{s.Name} {s.Table}: {s.Deleted}")));
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning(ex, "The janitor run failed; the next one in {Every} retries", every);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a batch cut short rolled back whole.
        }
    }
}
