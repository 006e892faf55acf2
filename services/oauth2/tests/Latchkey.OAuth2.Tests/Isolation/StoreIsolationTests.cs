using Latchkey.OAuth2.Tests.Storage;
using Xunit;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>
/// Every data method of every tenant-scoped store, called by project B on project A's data: B sees none of it,
/// and A's rows are exactly as they were (<see cref="ProjectData"/>). The same call by A sees or changes them,
/// so no case passes only because the call does nothing at all.
/// </summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class StoreIsolationTests(OAuth2StorageFixture fixture)
{
    public static TheoryData<string, string> Methods()
    {
        var data = new TheoryData<string, string>();
        foreach (var (store, cases) in StoreCases.All())
        {
            foreach (var method in cases.Methods.Keys) data.Add(store, method);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Method_CalledByOtherProject_NeitherSeesNorChangesTheOwnersData(string store, string method)
    {
        var cases = StoreCases.All()[store];
        await using var owner = ProjectScope.Open(fixture.Services);
        await using var other = ProjectScope.Open(fixture.Services);
        await cases.SeedAsync(owner);
        var before = await ProjectData.SnapshotAsync(fixture.Services, owner.Project);

        var seen = await cases.Methods[method](owner, other);

        Assert.False(seen);
        Assert.Equal(before, await ProjectData.SnapshotAsync(fixture.Services, owner.Project));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Method_CalledByOwner_SeesOrChangesItsData(string store, string method)
    {
        var cases = StoreCases.All()[store];
        await using var owner = ProjectScope.Open(fixture.Services);
        await cases.SeedAsync(owner);
        var before = await ProjectData.SnapshotAsync(fixture.Services, owner.Project);

        var seen = await cases.Methods[method](owner, owner);

        Assert.True(seen || before != await ProjectData.SnapshotAsync(fixture.Services, owner.Project));
    }
}
