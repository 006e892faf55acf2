using Latchkey.ControlPlane.ApiKeys;
using Latchkey.ControlPlane.Http;
using Latchkey.ControlPlane.Projects;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Marten;
using Xunit;

namespace Latchkey.ControlPlane.Tests.Projects;

/// <summary>Every method of <see cref="ProjectStore"/>, and for each that workspace B cannot read, change or delete A's project.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class ProjectStoreTests(ControlPlaneFixture fixture)
{
    readonly Guid _a = Guid.NewGuid(), _b = Guid.NewGuid();

    ProjectStore Store => fixture.Get<ProjectStore>();

    [Fact]
    public async Task CreateAsync_NewProject_IsRunningWithDefaultsAndFound()
    {
        var project = await Store.CreateAsync(_a, "Shop", "prod", CancellationToken.None);

        Assert.Equal(ProjectState.Running, project.State);
        Assert.True(ProjectSlug.IsWellFormed(project.Slug));
        Assert.Equal(1, project.Revision);
        Assert.Equal(new OAuth2Config(), project.OAuth2);
        Assert.Equal("Shop", (await Store.FindAsync(_a, project.Id, CancellationToken.None))?.Name);
        Assert.Equal(project.Id, (await fixture.Get<ProjectDirectory>().FindBySlugAsync(project.Slug, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task FindAsync_OtherWorkspace_IsNull()
    {
        var project = await Store.CreateAsync(_a, "A", "dev", CancellationToken.None);

        Assert.Null(await Store.FindAsync(_b, project.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_ListsOnlyTheWorkspacesRunningProjects()
    {
        var first = await Store.CreateAsync(_a, "one", "dev", CancellationToken.None);
        var deleted = await Store.CreateAsync(_a, "two", "dev", CancellationToken.None);
        await Store.CreateAsync(_b, "other", "dev", CancellationToken.None);
        await Store.DeleteAsync(_a, deleted.Id, CancellationToken.None);

        var listed = await Store.ListAsync(_a, CancellationToken.None);

        Assert.Equal([first.Id], listed.Select(p => p.Id));
    }

    [Fact]
    public async Task UpdateAsync_Change_SavesAndBumpsRevision()
    {
        var project = await Store.CreateAsync(_a, "before", "dev", CancellationToken.None);

        var (updated, error) = await Store.UpdateAsync(_a, project.Id, p => { p.Name = "after"; return null; }, CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(2, updated!.Revision);
        Assert.Equal("after", (await Store.FindAsync(_a, project.Id, CancellationToken.None))?.Name);
    }

    [Fact]
    public async Task UpdateAsync_NoChange_KeepsRevision()
    {
        var project = await Store.CreateAsync(_a, "same", "dev", CancellationToken.None);

        var (updated, _) = await Store.UpdateAsync(_a, project.Id, p => { p.Name = "same"; return null; }, CancellationToken.None);

        Assert.Equal(1, updated!.Revision);
    }

    [Fact]
    public async Task UpdateAsync_ChangeRefuses_SavesNothing()
    {
        var project = await Store.CreateAsync(_a, "kept", "dev", CancellationToken.None);

        var (updated, error) = await Store.UpdateAsync(_a, project.Id, p =>
        {
            p.Name = "lost";
            return ControlPlaneErrors.Invalid("no");
        }, CancellationToken.None);

        Assert.Null(updated);
        Assert.Equal("LK5004", error?.Id);
        Assert.Equal("kept", (await Store.FindAsync(_a, project.Id, CancellationToken.None))?.Name);
    }

    [Fact]
    public async Task UpdateAsync_OtherWorkspace_IsProjectNotFoundAndChangesNothing()
    {
        var project = await Store.CreateAsync(_a, "A", "dev", CancellationToken.None);

        var (_, error) = await Store.UpdateAsync(_b, project.Id, p => { p.Name = "B was here"; return null; }, CancellationToken.None);

        Assert.Equal(ControlPlaneErrors.ProjectNotFound.Id, error?.Id);
        Assert.Equal("LK5002", error?.Id);
        Assert.Equal("A", (await Store.FindAsync(_a, project.Id, CancellationToken.None))?.Name);
    }

    [Fact]
    public async Task DeleteAsync_Project_StopsAnsweringAndDeletesItsKeys()
    {
        var project = await Store.CreateAsync(_a, "A", "dev", CancellationToken.None);
        var key = await fixture.Get<ApiKeyStore>().CreateAsync(_a, project.Id, "ci", null, CancellationToken.None);

        Assert.True(await Store.DeleteAsync(_a, project.Id, CancellationToken.None));

        Assert.Null(await Store.FindAsync(_a, project.Id, CancellationToken.None));
        Assert.Null(await fixture.Get<ProjectDirectory>().FindBySlugAsync(project.Slug, CancellationToken.None));
        Assert.Null(await fixture.Get<ApiKeyDirectory>().VerifyAsync(key!.Value.Value, CancellationToken.None));
        await using var session = fixture.Get<IDocumentStore>().QuerySession();
        Assert.Equal(ProjectState.Deleted, (await session.LoadAsync<StoredProject>(project.Id))?.State);
    }

    [Fact]
    public async Task DeleteAsync_OtherWorkspace_IsFalseAndKeepsTheProject()
    {
        var project = await Store.CreateAsync(_a, "A", "dev", CancellationToken.None);

        Assert.False(await Store.DeleteAsync(_b, project.Id, CancellationToken.None));
        Assert.NotNull(await Store.FindAsync(_a, project.Id, CancellationToken.None));
    }
}
