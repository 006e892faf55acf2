using Latchkey.ServiceDefaults;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Latchkey.Storage;

/// <summary>
/// Redis is a cache and a change feed, never the source of truth: without it (not configured, or down)
/// every call here is a no-op and callers fall back to PostgreSQL. It reconnects by itself.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    readonly ConnectionMultiplexer? _mux;
    readonly ILogger<RedisConnection> _logger;

    public RedisConnection(PlatformSettings settings, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        if (settings.RedisUrl is null) return;
        var options = ConfigurationOptions.Parse(settings.RedisUrl);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        _mux = ConnectionMultiplexer.Connect(options);
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

    public void Subscribe(string channel, Action<string> handler)
    {
        if (_mux is null) return;
        _mux.GetSubscriber().Subscribe(RedisChannel.Literal(channel), (_, value) => handler(value.ToString()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_mux is not null) await _mux.DisposeAsync();
    }
}
