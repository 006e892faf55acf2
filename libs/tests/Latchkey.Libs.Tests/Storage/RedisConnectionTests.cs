using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

/// <summary>Redis is a cache: configured but unreachable at start-up, it must not stop a service, and its change feed must start when Redis comes.</summary>
public sealed class RedisConnectionTests : IAsyncLifetime
{
    readonly RedisFixture _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task Subscribe_RedisUnreachableAtStart_DoesNotThrowAndSubscribesWhenItComes()
    {
        var target = _redis.ConnectionString.Split(',')[0];
        var colon = target.LastIndexOf(':');
        await using var proxy = new TcpProxy(target[..colon], int.Parse(target[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        proxy.Cut();
        var settings = PlatformSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LATCHKEY_DATABASE_URL"] = "Host=127.0.0.1;Database=unused",
            ["LATCHKEY_REDIS_URL"] = $"127.0.0.1:{proxy.Port}",
        }).Build());
        await using var redis = new RedisConnection(settings, NullLogger<RedisConnection>.Instance);
        var channel = "lk:test:" + Guid.NewGuid().ToString("N");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        redis.Subscribe(channel, message => received.TrySetResult(message));
        Assert.False(redis.IsConnected);

        proxy.Restore();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!received.Task.IsCompleted)
        {
            if (redis.IsConnected) await redis.PublishAsync(channel, "changed");
            await Task.WhenAny(received.Task, Task.Delay(200, timeout.Token));
        }
        Assert.Equal("changed", await received.Task);
    }

    [Fact]
    public async Task PublishAndWait_ReturnsOnceEverySubscriberHasHandledTheMessage()
    {
        var settings = PlatformSettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LATCHKEY_DATABASE_URL"] = "Host=127.0.0.1;Database=unused",
            ["LATCHKEY_REDIS_URL"] = _redis.ConnectionString,
        }).Build());
        await using var publisher = new RedisConnection(settings, NullLogger<RedisConnection>.Instance);
        await using var fast = new RedisConnection(settings, NullLogger<RedisConnection>.Instance);
        await using var slow = new RedisConnection(settings, NullLogger<RedisConnection>.Instance);
        var channel = "lk:test:" + Guid.NewGuid().ToString("N");
        var handled = new System.Collections.Concurrent.ConcurrentBag<string>();
        fast.Subscribe(channel, handled.Add);
        slow.Subscribe(channel, message =>
        {
            Thread.Sleep(200);
            handled.Add("slow:" + message);
        });
        await Task.Delay(200);

        await publisher.PublishAndWaitAsync(channel, "changed", TimeSpan.FromSeconds(10));

        Assert.Equal(["changed", "slow:changed"], handled.Order());
    }
}
