using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Latchkey.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.OAuth2.Tests.Keys;

/// <summary>Signing keys across replicas (issue 10, item 2): one first key per set, and key changes carried by the project's revision.</summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class ProjectKeyRingTests(OAuth2StorageFixture fixture)
{
    static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task FirstKeys_TwoReplicasAtOnceOnAFreshProject_MakeOneKeyPerSet_AndBothAnswerIt()
    {
        await using var a = fixture.BuildReplica();
        await using var b = fixture.BuildReplica();
        var project = TestProjectContext.NewProject();
        ProjectKeyRing ringA = a.GetRequiredService<ProjectKeyRing>(), ringB = b.GetRequiredService<ProjectKeyRing>();

        // Several builds on each replica at once, as the first requests of a new project would start them.
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? ringA : ringB).GetSigningKeysAsync(project, None))));

        foreach (var set in KeySets.All)
        {
            var stored = await ringA.ListAsync(project, set, None);
            Assert.Single(stored);
            Assert.All(answers, keys => Assert.Equal(stored[0].Id, Assert.Single(keys[set]).Id));
        }
    }

    [Fact]
    public async Task KeyRotation_OnAReplicaWhoseRedisIsGone_BumpsTheRevision_SoTheOtherSeesTheNewKeyWhenItsEntryExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = fixture.BuildReplica();
        // B's Redis is a port nothing listens on: it misses every announcement A makes.
        await using var b = fixture.BuildReplica(redisUrl: $"127.0.0.1:{PlatformFixture.FreePort()}", clock: clock);
        var stored = await CreateProjectAsync(a);
        ProjectKeyRing ringA = a.GetRequiredService<ProjectKeyRing>(), ringB = b.GetRequiredService<ProjectKeyRing>();
        var directoryB = b.GetRequiredService<ProjectDirectory>();

        var before = (await directoryB.FindByIdAsync(stored.Id, None))!;
        var first = (await ringB.GetSigningKeysAsync(before, None))[KeySets.IdToken][0];

        var rotated = ringA.Generate(KeySets.IdToken, "ES256", null);
        await ringA.SaveAsync(before, [rotated], replaceSet: null, None);

        // Within the directory's lifetime B still holds the old revision (what it built its options for) …
        Assert.Equal(before.Revision, (await directoryB.FindByIdAsync(stored.Id, None))!.Revision);
        // … and once the entry expires it reads the new one: a new revision rebuilds the options, with the new key signing.
        clock.Advance(TimeSpan.FromMinutes(1));
        var after = (await directoryB.FindByIdAsync(stored.Id, None))!;
        Assert.Equal(before.Revision + 1, after.Revision);
        var keys = await ringB.GetSigningKeysAsync(after, None);
        Assert.Equal(rotated.Id, keys[KeySets.IdToken][0].Id);
        Assert.Contains(keys[KeySets.IdToken], k => k.Id == first.Id);

        Assert.True(await ringA.DeleteAsync(after, KeySets.IdToken, rotated.Id, None));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(before.Revision + 2, (await directoryB.FindByIdAsync(stored.Id, None))!.Revision);
    }

    [Fact]
    public async Task KeyChange_AndAProjectPatchAtOnce_LoseNeitherRevision()
    {
        await using var a = fixture.BuildReplica();
        var stored = await CreateProjectAsync(a);
        var ring = a.GetRequiredService<ProjectKeyRing>();
        var platform = a.GetRequiredService<IDocumentStore>();

        // The control plane's patch holds the project's row lock (as ProjectStore.UpdateAsync does) while a key changes.
        await using var patch = platform.LightweightSession();
        await patch.BeginTransactionAsync(None);
        var locked = (await patch.QueryAsync<StoredProject>("where id = ? for update", None, stored.Id))[0];
        var save = ring.SaveAsync(stored.ToInfo(), [ring.Generate(KeySets.AccessToken, "ES256", null)], replaceSet: null, None);
        locked.Revision++;
        locked.Name = "patched";
        patch.Update(locked);
        await patch.SaveChangesAsync(None);
        await save;

        await using var query = platform.QuerySession();
        var final = (await query.LoadAsync<StoredProject>(stored.Id, None))!;
        Assert.Equal(stored.Revision + 2, final.Revision);
        Assert.Equal("patched", final.Name);
    }

    static async Task<StoredProject> CreateProjectAsync(IServiceProvider services)
    {
        var info = TestProjectContext.NewProject();
        var project = new StoredProject
        {
            Id = info.Id,
            WorkspaceId = info.WorkspaceId,
            Slug = info.Slug,
            Name = info.Name,
            State = ProjectState.Running,
            Revision = 1,
            OAuth2 = new OAuth2Config(),
        };
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Insert(project);
        await session.SaveChangesAsync(None);
        return project;
    }
}
