using System.Net;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Latchkey.OAuth2.Tests.Clients;

/// <summary>
/// The client-authentication throttle across replicas while Redis is away (issue 10, item 4): the count is
/// PostgreSQL's, shared by every replica, and with PostgreSQL gone too the check fails closed.
/// </summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class ClientAuthThrottleTests(OAuth2StorageFixture fixture)
{
    static readonly IPAddress Source = IPAddress.Parse("203.0.113.7");

    ServiceProvider ReplicaWithoutRedis() => fixture.BuildReplica(redisUrl: $"127.0.0.1:{PlatformFixture.FreePort()}");

    [Fact]
    public async Task RedisGone_FailuresSplitAcrossReplicas_ReachTheOneLimit()
    {
        // Before: each replica counted in process while Redis was away, so N replicas allowed N times the limit.
        await using ServiceProvider a = ReplicaWithoutRedis(), b = ReplicaWithoutRedis(), c = ReplicaWithoutRedis();
        ClientAuthThrottle throttleA = ActivatorUtilities.CreateInstance<ClientAuthThrottle>(a),
            throttleB = ActivatorUtilities.CreateInstance<ClientAuthThrottle>(b),
            throttleC = ActivatorUtilities.CreateInstance<ClientAuthThrottle>(c);
        var tenant = Guid.NewGuid().ToString();

        for (var i = 0; i < ClientAuthThrottle.MaxFailuresPerClient; i++)
            await (i % 2 == 0 ? throttleA : throttleB).FailedAsync(tenant, "client", Source);

        Assert.NotNull(await throttleA.RetryAfterAsync(tenant, "client", Source));
        Assert.NotNull(await throttleB.RetryAfterAsync(tenant, "client", Source));
        // A third replica that saw none of them refuses the next slow check before running it.
        Assert.False(await throttleC.TryBeginAsync(tenant, "client", Source));
        // Another client of the project is not affected.
        Assert.True(await throttleC.TryBeginAsync(tenant, "other-client", Source));
    }

    [Fact]
    public async Task RedisAndPostgresGone_TheCheckThrows_SoTheRequestIsRefusedNotLetThrough()
    {
        await using var replica = ReplicaWithoutRedis();
        var deadDatabase = new NpgsqlConnectionStringBuilder(fixture.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString)
        {
            Host = "127.0.0.1",
            Port = PlatformFixture.FreePort(),
            Timeout = 2,
        };
        await using var database = NpgsqlDataSource.Create(deadDatabase.ConnectionString);
        var throttle = ActivatorUtilities.CreateInstance<ClientAuthThrottle>(replica, database);
        var tenant = Guid.NewGuid().ToString();

        // OAuth2ExceptionHandler answers these 503 temporarily_unavailable with Retry-After (an outage).
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => throttle.TryBeginAsync(tenant, "client", Source));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => throttle.FailedAsync(tenant, "client", Source));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => throttle.RetryAfterAsync(tenant, "client", Source));
    }
}
