using Latchkey.Gateway.RateLimits;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.Gateway.Tests;

public sealed class ProjectRateLimiterTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    static readonly BucketLimits ThreePerMinute = new(Burst: 1000, Sustained: 3);

    ProjectRateLimiter Gateway(RedisConnection redis, TimeProvider? clock = null) =>
        new(redis, clock ?? fixture.Clock, NullLogger<ProjectRateLimiter>.Instance);

    [Fact]
    public async Task TwoGatewaysOnOneRedis_ShareEveryWindow()
    {
        var redis = fixture.Get<RedisConnection>();
        ProjectRateLimiter first = Gateway(redis), second = Gateway(redis);
        var project = Guid.NewGuid();

        var a = await first.AcquireAsync(project, Bucket.Token, ThreePerMinute);
        var b = await second.AcquireAsync(project, Bucket.Token, ThreePerMinute);
        var c = await first.AcquireAsync(project, Bucket.Token, ThreePerMinute);
        var refused = await second.AcquireAsync(project, Bucket.Token, ThreePerMinute);

        Assert.True(a.Allowed && b.Allowed && c.Allowed);
        Assert.Equal([2, 1, 0], new[] { a.Remaining, b.Remaining, c.Remaining });
        Assert.False(refused.Allowed);
        Assert.Equal(3, refused.Limit);
        Assert.Equal(BucketLimits.SustainedWindow, refused.Window);
        Assert.InRange(refused.ResetAfter, TimeSpan.FromSeconds(1), BucketLimits.SustainedWindow);

        // Another bucket of the same project, and the same bucket of another project, count on their own.
        Assert.True((await second.AcquireAsync(project, Bucket.Introspect, ThreePerMinute)).Allowed);
        Assert.True((await second.AcquireAsync(Guid.NewGuid(), Bucket.Token, ThreePerMinute)).Allowed);
    }

    [Fact]
    public async Task WithoutRedis_CountsInProcess_AndTheWindowStartsOver()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LATCHKEY_PUBLIC_URL"] = "http://localtest.me:4430" }).Build();
        await using var noRedis = new RedisConnection(PlatformSettings.From(config), NullLogger<RedisConnection>.Instance);
        var clock = new FakeTimeProvider();
        var gateway = Gateway(noRedis, clock);
        var project = Guid.NewGuid();

        for (var i = 0; i < 3; i++) Assert.True((await gateway.AcquireAsync(project, Bucket.Other, ThreePerMinute)).Allowed);
        var refused = await gateway.AcquireAsync(project, Bucket.Other, ThreePerMinute);
        Assert.False(refused.Allowed);
        Assert.Equal(BucketLimits.SustainedWindow, refused.ResetAfter);

        clock.Advance(BucketLimits.SustainedWindow);
        Assert.True((await gateway.AcquireAsync(project, Bucket.Other, ThreePerMinute)).Allowed);
    }

    [Fact]
    public async Task Burst_IsTheBindingWindow_WhileItHasLessRoomLeft()
    {
        var clock = new FakeTimeProvider();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LATCHKEY_PUBLIC_URL"] = "http://localtest.me:4430" }).Build();
        await using var noRedis = new RedisConnection(PlatformSettings.From(config), NullLogger<RedisConnection>.Instance);
        var gateway = Gateway(noRedis, clock);
        var limits = new BucketLimits(Burst: 2, Sustained: 10);
        var project = Guid.NewGuid();

        var first = await gateway.AcquireAsync(project, Bucket.Admin, limits);
        Assert.Equal((2L, 1L), (first.Limit, first.Remaining));
        await gateway.AcquireAsync(project, Bucket.Admin, limits);
        var refused = await gateway.AcquireAsync(project, Bucket.Admin, limits);
        Assert.False(refused.Allowed);
        Assert.Equal(BucketLimits.BurstWindow, refused.Window);

        clock.Advance(BucketLimits.BurstWindow);
        var again = await gateway.AcquireAsync(project, Bucket.Admin, limits);
        Assert.True(again.Allowed);
        Assert.Equal((2L, 1L, 10L - 3), (again.Limit, again.Remaining, limits.Sustained - 3L));
    }

    [Theory]
    [InlineData("/oauth2/token", Bucket.Token)]
    [InlineData("/oauth2/revoke", Bucket.Token)]
    [InlineData("/admin/oauth2/introspect", Bucket.Introspect)]
    [InlineData("/admin/clients", Bucket.Admin)]
    [InlineData("/.well-known/openid-configuration", Bucket.Other)]
    [InlineData("/oauth2/auth", Bucket.Other)]
    [InlineData("/ui/login", Bucket.Other)]
    public void Bucket_FollowsTheEndpointClass(string path, Bucket bucket) => Assert.Equal(bucket, RateLimitPlans.BucketOf(new PathString(path)));

    [Fact]
    public void Plans_PaidPlansRaiseOnlyProductionProjects_EnterpriseIsUnlimited_AndAnUnknownPlanStopsTheStart()
    {
        var production = new RateLimitPlans("production", enabled: true);
        Assert.Equal(new BucketLimits(80, 1800), production.For("prod", Bucket.Token));
        Assert.Equal(new BucketLimits(10, 300), production.For("dev", Bucket.Token));
        Assert.Equal(new RateLimitPlans("developer", enabled: true).For("prod", Bucket.Token), production.For("stage", Bucket.Token));
        Assert.Null(new RateLimitPlans("enterprise", enabled: true).For("prod", Bucket.Token));
        Assert.Null(new RateLimitPlans("developer", enabled: false).For("dev", Bucket.Other));
        var unknown = Assert.Throws<InvalidOperationException>(() => new RateLimitPlans("gold", enabled: true));
        Assert.Contains("LATCHKEY_PLAN_DEFAULT_NAME", unknown.Message);
    }
}
