using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>A platform whose Redis is configured but not there when it starts: Redis is a cache, so every service starts and serves from PostgreSQL.</summary>
public sealed class RedisDownPlatformFixture : IAsyncLifetime
{
    // A port nothing listens on: the services are told Redis is there.
    public PlatformFixture Platform { get; } = new() { ExtraArgs = [$"--LATCHKEY_REDIS_URL=127.0.0.1:{PlatformFixture.FreePort()}"] };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

public sealed class RedisDownAtStartTests(RedisDownPlatformFixture fixture) : IClassFixture<RedisDownPlatformFixture>
{
    readonly Api _api = new(fixture.Platform);

    [Fact]
    public async Task Platform_RedisConfiguredButStopped_StartsAndIssuesAndIntrospectsTokens()
    {
        var project = await _api.CreateProjectAsync("redis-down");
        var client = await _api.CreateClientAsync(project);

        Assert.True((await _api.IssueAndIntrospectAsync(project, client))["active"]!.GetValue<bool>());
    }
}
