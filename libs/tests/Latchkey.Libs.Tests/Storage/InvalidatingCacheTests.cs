using Latchkey.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

public sealed class InvalidatingCacheTests
{
    readonly FakeTimeProvider _clock = new();
    int _loads;

    InvalidatingCache<string, string> NewCache(int capacity = 100) =>
        new(_clock, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2), capacity);

    Func<CancellationToken, Task<string?>> Returning(string? value) => _ =>
    {
        _loads++;
        return Task.FromResult(value);
    };

    [Fact]
    public async Task GetOrLoadAsync_WithinLifetime_LoadsOnce()
    {
        var cache = NewCache();

        await cache.GetOrLoadAsync("k", Returning("v"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var value = await cache.GetOrLoadAsync("k", Returning("other"), CancellationToken.None);

        Assert.Equal("v", value);
        Assert.Equal(1, _loads);
    }

    [Fact]
    public async Task GetOrLoadAsync_AfterLifetime_LoadsAgain()
    {
        var cache = NewCache();

        await cache.GetOrLoadAsync("k", Returning("v"), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("w", await cache.GetOrLoadAsync("k", Returning("w"), CancellationToken.None));

        Assert.Equal(2, _loads);
    }

    [Fact]
    public async Task GetOrLoadAsync_Miss_IsKeptForTheShorterLifetime()
    {
        var cache = NewCache();

        Assert.Null(await cache.GetOrLoadAsync("k", Returning(null), CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await cache.GetOrLoadAsync("k", Returning("v"), CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("v", await cache.GetOrLoadAsync("k", Returning("v"), CancellationToken.None));

        Assert.Equal(2, _loads);
    }

    [Fact]
    public async Task Invalidate_Key_LoadsOnlyThatKeyAgain()
    {
        var cache = NewCache();
        await cache.GetOrLoadAsync("a", Returning("1"), CancellationToken.None);
        await cache.GetOrLoadAsync("b", Returning("1"), CancellationToken.None);

        cache.Invalidate("a");
        await cache.GetOrLoadAsync("a", Returning("2"), CancellationToken.None);
        await cache.GetOrLoadAsync("b", Returning("2"), CancellationToken.None);

        Assert.Equal(3, _loads);
    }

    [Fact]
    public async Task InvalidateWhere_PicksMissesAndMatches()
    {
        var cache = NewCache();
        await cache.GetOrLoadAsync("miss", Returning(null), CancellationToken.None);
        await cache.GetOrLoadAsync("match", Returning("x"), CancellationToken.None);
        await cache.GetOrLoadAsync("keep", Returning("y"), CancellationToken.None);

        cache.InvalidateWhere((_, value) => value is null or "x");

        Assert.Equal(1, cache.Count);
        Assert.Equal("y", await cache.GetOrLoadAsync("keep", Returning("z"), CancellationToken.None));
    }

    [Fact]
    public async Task GetOrLoadAsync_InvalidatedWhileLoading_ServesButDoesNotKeep()
    {
        var cache = NewCache();
        var value = await cache.GetOrLoadAsync("k", _ =>
        {
            _loads++;
            cache.Invalidate("k");
            return Task.FromResult<string?>("stale");
        }, CancellationToken.None);

        Assert.Equal("stale", value);
        Assert.Equal("fresh", await cache.GetOrLoadAsync("k", Returning("fresh"), CancellationToken.None));
    }

    [Fact]
    public async Task Clear_DropsEverything()
    {
        var cache = NewCache();
        await cache.GetOrLoadAsync("a", Returning("1"), CancellationToken.None);

        cache.Clear();

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrLoadAsync_AboveCapacity_StaysBounded()
    {
        var cache = NewCache(capacity: 10);

        for (var i = 0; i < 100; i++) await cache.GetOrLoadAsync($"k{i}", Returning(null), CancellationToken.None);

        Assert.InRange(cache.Count, 1, 10);
    }
}
