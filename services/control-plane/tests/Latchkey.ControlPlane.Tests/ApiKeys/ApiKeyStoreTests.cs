using Latchkey.ControlPlane.ApiKeys;
using Latchkey.ControlPlane.Http;
using Latchkey.ControlPlane.Projects;
using Latchkey.Storage;
using Xunit;

namespace Latchkey.ControlPlane.Tests.ApiKeys;

/// <summary>Every method of <see cref="ApiKeyStore"/>, and for each that workspace B cannot read, make or delete A's keys.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class ApiKeyStoreTests(ControlPlaneFixture fixture)
{
    readonly Guid _a = Guid.NewGuid(), _b = Guid.NewGuid();

    ApiKeyStore Store => fixture.Get<ApiKeyStore>();

    Task<Latchkey.Storage.StoredProject> ProjectOfAsync(Guid workspace) =>
        fixture.Get<ProjectStore>().CreateAsync(workspace, "p", "dev", CancellationToken.None);

    [Fact]
    public async Task CreateAsync_OwnProject_MakesAVerifiableKeyStoredOnlyAsHash()
    {
        var project = await ProjectOfAsync(_a);

        var (key, value) = (await Store.CreateAsync(_a, project.Id, "ci", null, CancellationToken.None))!.Value;

        Assert.StartsWith(Secrets.ProjectKeyPrefix, value);
        Assert.Equal(value[^4..], key.LastCharacters);
        Assert.DoesNotContain(value, key.Hash);
        Assert.Equal(fixture.Clock.GetUtcNow(), key.CreatedAt);
        var verified = await fixture.Get<ApiKeyDirectory>().VerifyAsync(value, CancellationToken.None);
        Assert.Equal((key.Id, ApiKeyKind.Project, project.Id), (verified!.Id, verified.Kind, verified.ProjectId));
    }

    [Fact]
    public async Task CreateAsync_OtherWorkspacesProject_IsNull()
    {
        var project = await ProjectOfAsync(_a);

        Assert.Null(await Store.CreateAsync(_b, project.Id, "ci", null, CancellationToken.None));
        Assert.Empty((await Store.ListAsync(_a, project.Id, CancellationToken.None))!);
    }

    [Fact]
    public async Task ListAsync_OwnProject_ListsItsKeysOldestFirst()
    {
        var project = await ProjectOfAsync(_a);
        var other = await ProjectOfAsync(_a);
        await Store.CreateAsync(_a, project.Id, "first", null, CancellationToken.None);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.CreateAsync(_a, project.Id, "second", null, CancellationToken.None);
        await Store.CreateAsync(_a, other.Id, "elsewhere", null, CancellationToken.None);

        var keys = await Store.ListAsync(_a, project.Id, CancellationToken.None);

        Assert.Equal(["first", "second"], keys!.Select(k => k.Name));
    }

    [Fact]
    public async Task ListAsync_OtherWorkspace_IsNull()
    {
        var project = await ProjectOfAsync(_a);
        await Store.CreateAsync(_a, project.Id, "ci", null, CancellationToken.None);

        Assert.Null(await Store.ListAsync(_b, project.Id, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_Key_StopsVerifyingAtOnce()
    {
        var project = await ProjectOfAsync(_a);
        var (key, value) = (await Store.CreateAsync(_a, project.Id, "ci", null, CancellationToken.None))!.Value;
        Assert.NotNull(await fixture.Get<ApiKeyDirectory>().VerifyAsync(value, CancellationToken.None));

        Assert.Null(await Store.DeleteAsync(_a, project.Id, key.Id, CancellationToken.None));

        Assert.Null(await fixture.Get<ApiKeyDirectory>().VerifyAsync(value, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_OtherWorkspace_IsProjectNotFoundAndKeepsTheKey()
    {
        var project = await ProjectOfAsync(_a);
        var (key, value) = (await Store.CreateAsync(_a, project.Id, "ci", null, CancellationToken.None))!.Value;

        var error = await Store.DeleteAsync(_b, project.Id, key.Id, CancellationToken.None);

        Assert.Equal(ControlPlaneErrors.ProjectNotFound.Id, error?.Id);
        Assert.NotNull(await fixture.Get<ApiKeyDirectory>().VerifyAsync(value, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_KeyOfAnotherProject_IsApiKeyNotFound()
    {
        var project = await ProjectOfAsync(_a);
        var other = await ProjectOfAsync(_a);
        var (key, _) = (await Store.CreateAsync(_a, project.Id, "ci", null, CancellationToken.None))!.Value;

        var error = await Store.DeleteAsync(_a, other.Id, key.Id, CancellationToken.None);

        Assert.Equal("LK5003", error?.Id);
    }
}
