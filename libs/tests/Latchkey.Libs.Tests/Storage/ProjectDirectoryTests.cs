using Latchkey.Storage;
using Latchkey.Tenancy;
using Latchkey.Testing;
using Marten;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

[Collection(StorageCollection.Name)]
public sealed class ProjectDirectoryTests(StorageFixture fixture)
{
    ProjectDirectory Directory => fixture.Get<ProjectDirectory>();

    async Task<StoredProject> SaveAsync(StoredProject project)
    {
        await using var session = fixture.Get<IDocumentStore>().LightweightSession();
        session.Store(project);
        await session.SaveChangesAsync();
        return project;
    }

    static StoredProject NewProject() => new()
    {
        Id = Guid.NewGuid(),
        WorkspaceId = Guid.NewGuid(),
        Slug = ProjectSlug.Generate(),
        Name = "p",
        State = ProjectState.Running,
        Revision = 1,
    };

    [Fact]
    public async Task FindBySlugAsync_RunningProject_FindsIt()
    {
        var project = await SaveAsync(NewProject());

        Assert.Equal(project.Id, (await Directory.FindBySlugAsync(project.Slug, CancellationToken.None))?.Id);
        Assert.Equal(project.Slug, (await Directory.FindByIdAsync(project.Id, CancellationToken.None))?.Slug);
    }

    [Fact]
    public async Task FindBySlugAsync_CachedMissThenCreatedAndForgotten_FindsIt()
    {
        var project = NewProject();
        Assert.Null(await Directory.FindBySlugAsync(project.Slug, CancellationToken.None));

        await SaveAsync(project);
        Directory.Forget(project.Id);

        Assert.NotNull(await Directory.FindBySlugAsync(project.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task FindBySlugAsync_DeletedAndForgotten_IsNull()
    {
        var project = await SaveAsync(NewProject());
        Assert.NotNull(await Directory.FindBySlugAsync(project.Slug, CancellationToken.None));
        Guid? changed = null;
        Directory.Changed += id => changed = id;

        project.State = ProjectState.Deleted;
        await SaveAsync(project);
        Directory.Forget(project.Id);

        Assert.Null(await Directory.FindBySlugAsync(project.Slug, CancellationToken.None));
        Assert.Null(await Directory.FindByIdAsync(project.Id, CancellationToken.None));
        Assert.Equal(project.Id, changed);
    }

    [Fact]
    public async Task FindBySlugAsync_ChangedWithoutForget_ServesCachedUntilLifetimeEnds()
    {
        var project = await SaveAsync(NewProject());
        await Directory.FindBySlugAsync(project.Slug, CancellationToken.None);

        project.Name = "renamed";
        await SaveAsync(project);
        Assert.Equal("p", (await Directory.FindBySlugAsync(project.Slug, CancellationToken.None))?.Name);

        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("renamed", (await Directory.FindBySlugAsync(project.Slug, CancellationToken.None))?.Name);
    }
}
