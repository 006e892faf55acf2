using Latchkey.Storage;
using Latchkey.Testing;
using Marten;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

[Collection(StorageCollection.Name)]
public sealed class ApiKeyDirectoryTests(StorageFixture fixture)
{
    ApiKeyDirectory Directory => fixture.Get<ApiKeyDirectory>();

    async Task<(ApiKey Key, string Value)> SaveAsync(DateTimeOffset? expiresAt = null)
    {
        var value = Secrets.Generate(Secrets.WorkspaceKeyPrefix);
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Kind = ApiKeyKind.Workspace,
            WorkspaceId = Guid.NewGuid(),
            Name = "k",
            Hash = fixture.Get<SecretHasher>().Hash(value),
            CreatedAt = fixture.Clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        await using var session = fixture.Get<IDocumentStore>().LightweightSession();
        session.Store(key);
        await session.SaveChangesAsync();
        return (key, value);
    }

    [Fact]
    public async Task VerifyAsync_KnownKey_ReturnsIt()
    {
        var (key, value) = await SaveAsync();

        Assert.Equal(key.Id, (await Directory.VerifyAsync(value, CancellationToken.None))?.Id);
    }

    [Theory]
    [InlineData("lk_wak_unknown")]
    [InlineData("not-a-key")]
    [InlineData("")]
    public async Task VerifyAsync_UnknownOrForeign_IsNull(string presented) =>
        Assert.Null(await Directory.VerifyAsync(presented, CancellationToken.None));

    [Fact]
    public async Task VerifyAsync_CachedKeyExpires_IsNullFromThatMoment()
    {
        var (_, value) = await SaveAsync(fixture.Clock.GetUtcNow().AddSeconds(10));
        Assert.NotNull(await Directory.VerifyAsync(value, CancellationToken.None));

        fixture.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(await Directory.VerifyAsync(value, CancellationToken.None));
    }

    [Fact]
    public async Task VerifyAsync_DeletedAndForgotten_IsNull()
    {
        var (key, value) = await SaveAsync();
        Assert.NotNull(await Directory.VerifyAsync(value, CancellationToken.None));

        await using (var session = fixture.Get<IDocumentStore>().LightweightSession())
        {
            session.Delete<ApiKey>(key.Id);
            await session.SaveChangesAsync();
        }
        Assert.NotNull(await Directory.VerifyAsync(value, CancellationToken.None));
        Directory.ForgetAll();

        Assert.Null(await Directory.VerifyAsync(value, CancellationToken.None));
    }
}
