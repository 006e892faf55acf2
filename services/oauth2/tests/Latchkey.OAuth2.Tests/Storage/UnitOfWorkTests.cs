using JasperFx;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Flows;
using Latchkey.OAuth2.Tests.Isolation;
using Latchkey.OAuth2.Tokens;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Latchkey.OAuth2.Tests.Storage;

[Collection(OAuth2StorageCollection.Name)]
public sealed class UnitOfWorkTests(OAuth2StorageFixture fixture)
{
    static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task SessionFactory_ForOAuth2Store_IsProjectSessionFactoryOnTheRequestsProject()
    {
        await using var request = ProjectScope.Open(fixture.Services);

        var factory = request.Services.GetRequiredKeyedService<ISessionFactory>(typeof(IOAuth2Store));

        Assert.IsType<ProjectSessionFactory>(factory);
        await using var session = factory.OpenSession();
        Assert.Equal(request.Project.TenantId, session.TenantId);
        Assert.Equal(request.Project.TenantId, request.Work.TenantId);
    }

    [Fact]
    public async Task Stores_InOneRequest_ShareTheUnitOfWorksSession()
    {
        await using var request = ProjectScope.Open(fixture.Services);

        Assert.Same(request.Work, request.Services.GetRequiredService<UnitOfWork>());
        Assert.Same(request.Work.Session, request.Services.GetRequiredService<UnitOfWork>().Session);
    }

    [Fact]
    public async Task SaveChangesAsync_WhileHeld_WritesNothingUntilCommitHeld()
    {
        await using var request = ProjectScope.Open(fixture.Services);
        var flow = Flow();
        request.Work.Hold();

        await request.Flows.InsertAsync(flow, None);
        await request.Tokens.CreateAsync(new TokenEntry { Signature = "held" }, None);
        Assert.Equal("", await ProjectData.SnapshotAsync(fixture.Services, request.Project));

        Assert.True(await request.Work.CommitHeldAsync(None));
        await using var reader = ProjectScope.Open(fixture.Services, request.Project);
        Assert.NotNull(await reader.Flows.FindAsync(flow.Id, None));
        Assert.NotNull(await reader.Tokens.FindBySignatureAsync("held", None));
    }

    [Fact]
    public async Task CommitHeldAsync_VersionConflict_ReturnsFalseAndWritesNothing()
    {
        await using var request = ProjectScope.Open(fixture.Services);
        var flow = Flow();
        await request.Flows.InsertAsync(flow, None);
        var before = await ProjectData.SnapshotAsync(fixture.Services, request.Project);
        var stale = (await request.Flows.FindAsync(flow.Id, None))!;
        await using (var other = ProjectScope.Open(fixture.Services, request.Project))
        {
            var current = (await other.Flows.FindAsync(flow.Id, None))!;
            current.RevokeConsent();
            await other.Flows.UpdateAsync(current, None);
            before = await ProjectData.SnapshotAsync(fixture.Services, request.Project);
        }

        request.Work.Hold();
        stale.RevokeConsent();
        await request.Flows.UpdateAsync(stale, None);
        await request.Tokens.CreateAsync(new TokenEntry { Signature = "code" }, None);

        Assert.False(await request.Work.CommitHeldAsync(None));
        Assert.Equal(before, await ProjectData.SnapshotAsync(fixture.Services, request.Project));
    }

    [Fact]
    public async Task SaveChangesAsync_AfterAFailedWrite_DoesNotRetryIt()
    {
        await using var request = ProjectScope.Open(fixture.Services);
        var flow = Flow();
        await request.Flows.InsertAsync(flow, None);

        await Assert.ThrowsAsync<DocumentAlreadyExistsException>(() => request.Flows.InsertAsync(Flow(flow.Id), None));
        await request.Tokens.CreateAsync(new TokenEntry { Signature = "after" }, None);

        Assert.NotNull(await request.Tokens.FindBySignatureAsync("after", None));
    }

    [Fact]
    public async Task DisposeAsync_WhileHeld_DropsWhatIsQueued()
    {
        var request = ProjectScope.Open(fixture.Services);
        request.Work.Hold();
        await request.Flows.InsertAsync(Flow(), None);

        await request.DisposeAsync();

        Assert.Equal("", await ProjectData.SnapshotAsync(fixture.Services, request.Project));
    }

    static LoginConsentFlow Flow(Guid? id = null)
    {
        var now = TimeProvider.System.GetUtcNow();
        return TestFlows.AcceptConsent(TestFlows.RequestConsent(TestFlows.Requested(now, id), now), now).Flow;
    }
}
