using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace Latchkey.OAuth2.Tests.Flows;

[Collection(OAuth2StorageCollection.Name)]
public sealed class FlowJanitorTests(OAuth2StorageFixture fixture)
{
    /// <summary>A flow that expires at the given time; TestFlows starts it one TTL earlier.</summary>
    static LoginConsentFlow Flow(FlowState state, DateTimeOffset expiresAt) =>
        state == FlowState.Completed ? TestFlows.Completed(expiresAt - TestFlows.Ttl) : TestFlows.Requested(expiresAt - TestFlows.Ttl);

    [Fact]
    public async Task Sweep_DeletesExpiredUnfinishedFlowsAndSessions_KeepsConsentsAndLiveOnes()
    {
        var now = DateTimeOffset.UtcNow;
        var project = TestProjectContext.NewProject();
        await using var scope = fixture.ScopeFor(project);
        var flows = new FlowStore(scope.ServiceProvider.GetRequiredService<ProjectSessions>());
        var abandoned = Flow(FlowState.LoginRequested, now.AddMinutes(-5));
        var live = Flow(FlowState.LoginRequested, now.AddMinutes(5));
        var consent = Flow(FlowState.Completed, now.AddMinutes(-5));
        foreach (var flow in new[] { abandoned, live, consent }) await flows.InsertAsync(flow, CancellationToken.None);
        var logout = new LogoutFlow { Id = Guid.NewGuid(), ExpiresAt = now.AddMinutes(-1) };
        await flows.InsertAsync(logout, CancellationToken.None);
        var sessions = scope.ServiceProvider.GetRequiredService<ProjectSessions>();
        await using (var write = sessions.Open())
        {
            write.Store(new LoginSession { Id = "expired", Subject = "alice", ExpiresAt = now.AddMinutes(-1) });
            write.Store(new LoginSession { Id = "live", Subject = "alice", ExpiresAt = now.AddDays(1) });
            await write.SaveChangesAsync();
        }

        var janitor = new FlowJanitor(fixture.Services.GetRequiredService<NpgsqlDataSource>(), NullLogger<FlowJanitor>.Instance);
        Assert.True(await janitor.SweepAsync(now, CancellationToken.None) >= 3);

        Assert.Null(await flows.FindAsync(abandoned.Id, CancellationToken.None));
        Assert.NotNull(await flows.FindAsync(live.Id, CancellationToken.None));
        Assert.NotNull(await flows.FindAsync(consent.Id, CancellationToken.None));
        Assert.Null(await flows.FindLogoutAsync(logout.Id, CancellationToken.None));
        await using var read = sessions.Query();
        Assert.Null(await read.LoadAsync<LoginSession>("expired"));
        Assert.NotNull(await read.LoadAsync<LoginSession>("live"));
    }
}
