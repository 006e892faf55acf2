using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Latchkey.OAuth2.Tests.Clients;

[Collection(OAuth2StorageCollection.Name)]
public sealed class ClientCacheTests(OAuth2StorageFixture fixture)
{
    readonly ManualClock _clock = new();

    [Fact]
    public async Task GetOrLoadAsync_WithinLifetime_LoadsOnce()
    {
        var (cache, loads) = (NewCache(), new Counter());

        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(29));
        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);

        Assert.Equal(1, loads.Count);
    }

    [Fact]
    public async Task GetOrLoadAsync_Hits_ShareTheCachedInstance_CopyIsDeep()
    {
        var (cache, loads) = (NewCache(), new Counter());
        var first = await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c", RedirectUris = ["https://a.example"] }), CancellationToken.None);

        Assert.Same(first, await cache.GetOrLoadAsync("t1", "c", loads.Returning(null), CancellationToken.None));
        var copy = ClientCache.Copy(first!);
        copy.RedirectUris.Add("https://b.example");
        Assert.Equal(["https://a.example"], first!.RedirectUris);
    }

    [Fact]
    public async Task GetOrLoadAsync_AfterLifetime_LoadsAgain()
    {
        var (cache, loads) = (NewCache(), new Counter());

        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(31));
        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);

        Assert.Equal(2, loads.Count);
    }

    [Fact]
    public async Task GetOrLoadAsync_MissAfterTwoSeconds_LoadsAgain()
    {
        var (cache, loads) = (NewCache(), new Counter());

        Assert.Null(await cache.GetOrLoadAsync("t1", "c", loads.Returning(null), CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await cache.GetOrLoadAsync("t1", "c", loads.Returning(null), CancellationToken.None));
        Assert.Equal(1, loads.Count);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None));
        Assert.Equal(2, loads.Count);
    }

    [Fact]
    public async Task GetOrLoadAsync_SameClientIdInTwoTenants_KeepsThemApart()
    {
        var cache = NewCache();
        var loads = new Counter();

        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c", ClientName = "one" }), CancellationToken.None);
        var other = await cache.GetOrLoadAsync("t2", "c", loads.Returning(new StoredClient { Id = "c", ClientName = "two" }), CancellationToken.None);

        Assert.Equal("two", other?.ClientName);
        Assert.Equal(2, loads.Count);
    }

    [Fact]
    public async Task Invalidate_CachedEntry_LoadsAgainOnlyForThatTenant()
    {
        var (cache, loads) = (NewCache(), new Counter());
        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);
        await cache.GetOrLoadAsync("t2", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);

        cache.Invalidate("t1", "c");
        await cache.GetOrLoadAsync("t1", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);
        await cache.GetOrLoadAsync("t2", "c", loads.Returning(new StoredClient { Id = "c" }), CancellationToken.None);

        Assert.Equal(3, loads.Count);
    }

    [Fact]
    public async Task FindAsync_ClientChangedOnOtherReplica_ReturnsChangeOnceAnnounced()
    {
        var project = TestProjectContext.NewProject();
        await using var replica = fixture.BuildReplica();
        await using var here = fixture.ScopeFor(project);
        await using var there = OAuth2StorageFixture.ScopeFor(replica, project);
        var store = here.ServiceProvider.GetRequiredService<ClientStore>();
        var otherStore = there.ServiceProvider.GetRequiredService<ClientStore>();
        await store.CreateAsync(new StoredClient { Id = "c", ClientName = "before" }, CancellationToken.None);
        Assert.Equal("before", (await otherStore.FindAsync("c", CancellationToken.None))?.ClientName);

        var client = (await store.FindForUpdateAsync("c", CancellationToken.None))!;
        client.ClientName = "after";
        await store.UpdateAsync(client, CancellationToken.None);

        var seen = "";
        for (var attempt = 0; attempt < 50 && seen != "after"; attempt++)
        {
            // A request sees one client throughout: each attempt is a request of its own.
            await using var request = OAuth2StorageFixture.ScopeFor(replica, project);
            seen = (await request.ServiceProvider.GetRequiredService<ClientStore>().FindAsync("c", CancellationToken.None))?.ClientName;
            if (seen != "after") await Task.Delay(100);
        }
        Assert.Equal("after", seen);
    }

    ClientCache NewCache()
    {
        var settings = PlatformSettings.From(new ConfigurationBuilder().Build()) with { RedisUrl = null };
        return new ClientCache(new RedisConnection(settings, NullLogger<RedisConnection>.Instance), _clock);
    }

    sealed class ManualClock : TimeProvider
    {
        DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    sealed class Counter
    {
        public int Count { get; private set; }

        public Func<CancellationToken, Task<StoredClient?>> Returning(StoredClient? client) => _ =>
        {
            Count++;
            return Task.FromResult(client);
        };
    }
}
