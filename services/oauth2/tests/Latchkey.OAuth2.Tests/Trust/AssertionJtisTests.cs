using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Trust;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Latchkey.OAuth2.Tests.Trust;

[Collection(OAuth2StorageCollection.Name)]
public sealed class AssertionJtisTests(OAuth2StorageFixture fixture)
{
    readonly ProjectInfo _project = TestProjectContext.NewProject();
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    async Task<bool> MarkAsync(string jti, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        await using var scope = fixture.ScopeFor(_project);
        return await scope.ServiceProvider.GetRequiredService<AssertionJtis>().TryMarkUsedAsync("https://idp.example", jti, expiresAt, now, CancellationToken.None);
    }

    [Fact]
    public async Task TryMarkUsed_ManyConcurrentUsesOfOneJti_ExactlyOneWins()
    {
        var uses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => MarkAsync("raced", Now.AddMinutes(5), Now))));

        Assert.Single(uses, used => used);
    }

    [Fact]
    public async Task TryMarkUsed_AfterTheFirstUseExpired_MayBeUsedAgain()
    {
        Assert.True(await MarkAsync("reused", Now.AddMinutes(1), Now));
        Assert.False(await MarkAsync("reused", Now.AddMinutes(1), Now.AddSeconds(30)));

        Assert.True(await MarkAsync("reused", Now.AddMinutes(10), Now.AddMinutes(2)));
    }
}
