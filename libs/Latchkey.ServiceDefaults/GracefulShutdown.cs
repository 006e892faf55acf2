using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Latchkey.ServiceDefaults;

/// <summary>
/// How a service stops on SIGTERM (or any host stop), in order:
/// <list type="number">
/// <item><c>/health/ready</c> answers 503 at once, so load balancers take the replica out;</item>
/// <item>for <c>LATCHKEY_SHUTDOWN_DELAY_SECONDS</c> (default 0: the chart's preStop sleep does this part) it keeps
/// serving, new connections included, while they catch up;</item>
/// <item>the server stops accepting connections and lets requests in flight finish, for at most
/// <c>LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS</c> (default 25), then aborts what is left;</item>
/// <item>the other hosted services stop after the server (they were registered before it): oauth2's usage
/// flusher writes the last counts then, within a budget of its own (<see cref="FinalWorkBudget"/>).</item>
/// </list>
/// A stop therefore takes at most delay + timeout + <see cref="FinalWorkBudget"/>: what a pod's
/// <c>terminationGracePeriodSeconds</c> must leave, after its preStop sleep.
/// </summary>
public sealed record ShutdownSettings(TimeSpan Delay, TimeSpan Timeout)
{
    /// <summary>What work after the server stopped (the last usage flush) may take, beyond <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan FinalWorkBudget = TimeSpan.FromSeconds(5);

    public static ShutdownSettings From(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ShutdownSettings(
            Seconds(config, "LATCHKEY_SHUTDOWN_DELAY_SECONDS", TimeSpan.Zero, max: 300),
            Seconds(config, "LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS", TimeSpan.FromSeconds(25), max: 3600));
    }

    static TimeSpan Seconds(IConfiguration config, string name, TimeSpan fallback, int max)
    {
        var value = config[name];
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds <= max
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"{name} must be a number of seconds from 0 to {max}, not '{value}'.");
    }
}

/// <summary>Whether the service has begun to stop: readiness fails from that moment on.</summary>
public sealed class ShutdownState
{
    volatile bool _stopping;

    public bool Stopping => _stopping;

    internal void Begin() => _stopping = true;
}

public static class GracefulShutdown
{
    /// <summary>The settings, the host's shutdown timeout, the drain delay and the readiness check that fails while stopping.</summary>
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ShutdownSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ShutdownState>();
        builder.Services.AddSingleton<IReadinessCheck, NotStopping>();
        // The drain delay counts against the host's timeout, which the server's stop then gets the rest of.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Delay + settings.Timeout);
        builder.Services.AddHostedService<DrainDelay>();
        return builder;
    }

    sealed class NotStopping(ShutdownState state) : IReadinessCheck
    {
        public string Name => "shutdown";

        public Task<bool> IsReadyAsync(CancellationToken ct) => Task.FromResult(!state.Stopping);
    }

    /// <summary>
    /// Stopping, before any hosted service stops (the server included): readiness fails, then the server keeps
    /// serving for the delay. Also on <c>ApplicationStopping</c>, which a SIGTERM fires first.
    /// </summary>
    sealed class DrainDelay(ShutdownState state, ShutdownSettings settings, IHostApplicationLifetime lifetime, TimeProvider clock) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopping.Register(state.Begin);
            return Task.CompletedTask;
        }

        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            state.Begin();
            if (settings.Delay <= TimeSpan.Zero) return;
            try
            {
                await Task.Delay(settings.Delay, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Stopping harder: go on with the stop.
            }
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
