using Testcontainers.Redis;
using Xunit;

namespace Latchkey.Testing;

/// <summary>
/// The Redis server named by <c>LATCHKEY_TEST_REDIS</c> (<c>host:port</c>), or a Redis container started for the
/// fixture. <see cref="KeyPrefix"/> keeps this fixture's keys apart from other fixtures on the same server.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    RedisContainer? _container;

    public string ConnectionString { get; private set; } = "";

    public string KeyPrefix { get; } = $"lk_test_{Guid.NewGuid():N}:";

    public async Task InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("LATCHKEY_TEST_REDIS");
        if (string.IsNullOrWhiteSpace(server))
        {
            _container = new RedisBuilder("redis:7-alpine").Build();
            await _container.StartAsync();
            server = _container.GetConnectionString();
        }
        ConnectionString = server;
    }

    public async Task DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }
}
