using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Latchkey.ServiceDefaults;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Latchkey.Storage;

/// <summary>
/// Redis is a cache and a change feed, never the source of truth: without it (not configured, or down)
/// every call here is a no-op and callers fall back to PostgreSQL. It reconnects by itself. Its state is in the
/// metrics (<c>latchkey.redis.*</c>), read from the multiplexer's own counters at each collection, so the hot path
/// pays nothing for them.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    readonly ConnectionMultiplexer? _mux;
    readonly ILogger<RedisConnection> _logger;
    // Subscriptions asked for while Redis was unreachable, made when the connection comes (back).
    readonly ConcurrentQueue<(string Channel, Action<string> Handler)> _unsubscribed = new();

    public RedisConnection(PlatformSettings settings, ILogger<RedisConnection> logger, IMeterFactory? meters = null)
    {
        _logger = logger;
        if (settings.RedisUrl is null) return;
        var options = ConfigurationOptions.Parse(settings.RedisUrl);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        _mux = ConnectionMultiplexer.Connect(options);
        _mux.ConnectionRestored += (_, _) => SubscribeWaiting();
        if (meters is not null) Instrument(meters.Create(LatchkeyMeters.Storage), _mux);
    }

    static void Instrument(Meter meter, ConnectionMultiplexer mux)
    {
        var failures = meter.CreateCounter<long>("latchkey.redis.connection.failures", "{failure}", "Connections to Redis lost or refused.");
        mux.ConnectionFailed += (_, _) => failures.Add(1);
        meter.CreateObservableGauge("latchkey.redis.connected", () => mux.IsConnected ? 1 : 0, "{connection}", "1 while Redis is reachable.");
        meter.CreateObservableCounter("latchkey.redis.operations", () => Connections(mux).Sum(c => c.OperationCount), "{operation}", "Commands sent to Redis.");
        meter.CreateObservableCounter("latchkey.redis.operations.failed", () => Connections(mux).Sum(c => c.FailedAsynchronously), "{operation}", "Commands that Redis did not answer or answered with an error.");
        meter.CreateObservableGauge("latchkey.redis.operations.pending", () => Connections(mux).Sum(c => c.PendingUnsentItems + c.SentItemsAwaitingResponse), "{operation}", "Commands queued or awaiting Redis's answer.");
    }

    static IEnumerable<ConnectionCounters> Connections(ConnectionMultiplexer mux)
    {
        var counters = mux.GetCounters();
        return [counters.Interactive, counters.Subscription];
    }

    public bool IsConnected => _mux?.IsConnected == true;

    /// <summary>The database, or null while Redis is not configured or not reachable.</summary>
    public IDatabase? Database => IsConnected ? _mux!.GetDatabase() : null;

    public async Task PublishAsync(string channel, string message)
    {
        if (!IsConnected) return;
        try
        {
            await _mux!.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message);
        }
        catch (RedisException ex)
        {
            _logger.LogWarning(ex, "Publishing to {Channel} failed; caches elsewhere expire on their own.", channel);
        }
    }

    /// <summary>
    /// Publishes, then waits (up to <paramref name="timeout"/>) until every subscriber that received the message has
    /// handled it: a change the caller answers for is then in effect on every replica when the caller answers (the
    /// control plane's "200" means the oauth2 replicas have dropped the old project). Each subscriber counts its
    /// handling on a key named in the message (<see cref="AckSeparator"/>). Past the timeout, or without Redis, the
    /// receivers' bounded cache lifetimes are what remains.
    /// </summary>
    public async Task PublishAndWaitAsync(string channel, string message, TimeSpan timeout)
    {
        if (!IsConnected) return;
        var ack = $"lk:ack:{Guid.NewGuid():N}";
        try
        {
            var receivers = await _mux!.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message + AckSeparator + ack);
            var started = Stopwatch.GetTimestamp();
            for (var delay = 1; receivers > 0; delay = Math.Min(delay * 2, 20))
            {
                if ((long?)await _mux.GetDatabase().StringGetAsync(ack) >= receivers) return;
                if (Stopwatch.GetElapsedTime(started) > timeout) break;
                await Task.Delay(delay);
            }
            if (receivers > 0) _logger.LogWarning("Not every subscriber to {Channel} confirmed a change within {Timeout}; their caches expire on their own.", channel, timeout);
        }
        catch (RedisException ex)
        {
            _logger.LogWarning(ex, "Publishing to {Channel} failed; caches elsewhere expire on their own.", channel);
        }
    }

    /// <summary>Between a message and the key its subscribers count their handling on (<see cref="PublishAndWaitAsync"/>).</summary>
    public const char AckSeparator = '\u001f';

    /// <summary>
    /// Calls <paramref name="handler"/> for every message on the channel. Redis unreachable does not stop the
    /// caller (a service starts without its cache): the subscription is made once the connection is up, and
    /// until then the callers' caches heal by their entries' bounded lifetimes.
    /// </summary>
    public void Subscribe(string channel, Action<string> handler)
    {
        if (_mux is null) return;
        if (!TrySubscribe(channel, handler)) _unsubscribed.Enqueue((channel, handler));
    }

    bool TrySubscribe(string channel, Action<string> handler)
    {
        try
        {
            _mux!.GetSubscriber().Subscribe(RedisChannel.Literal(channel), (_, value) => Handle(handler, value.ToString()));
            return true;
        }
        catch (RedisException ex)
        {
            _logger.LogWarning(ex, "Redis is unreachable; subscribing to {Channel} once it is back.", channel);
            return false;
        }
    }

    void Handle(Action<string> handler, string message)
    {
        var split = message.IndexOf(AckSeparator, StringComparison.Ordinal);
        handler(split < 0 ? message : message[..split]);
        if (split < 0) return;
        var ack = message[(split + 1)..];
        var db = _mux!.GetDatabase();
        db.StringIncrement(ack, flags: CommandFlags.FireAndForget);
        db.KeyExpire(ack, TimeSpan.FromMinutes(1), CommandFlags.FireAndForget);
    }

    void SubscribeWaiting()
    {
        var waiting = _unsubscribed.Count;
        for (var i = 0; i < waiting && _unsubscribed.TryDequeue(out var subscription); i++)
        {
            if (!TrySubscribe(subscription.Channel, subscription.Handler)) _unsubscribed.Enqueue(subscription);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_mux is not null) await _mux.DisposeAsync();
    }
}
