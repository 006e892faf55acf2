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
    static LoginConsentFlow Flow(FlowState state, DateTimeOffset expiresAt) => new()
    {
        Id = Guid.NewGuid(),
        State = state,
        ClientId = "web",
        Subject = "alice",
        ExpiresAt = expiresAt,
        ConsentRemember = state == FlowState.Completed,
        ConsentHandledAt = expiresAt,
    };

    [Fact]
    public async Task Sweep_DeletesExpiredUnfinishedFlowsAndSessions_KeepsConsentsAndLiveOnes()
    {
        var now = TimeProvider.System.GetUtcNow();
        var project = TestProjectContext.NewProject();
        await using var scope = fixture.ScopeFor(project);
        var flows = scope.ServiceProvider.GetRequiredService<FlowStore>();
        var abandoned = Flow(FlowState.LoginRequested, now.AddMinutes(-5));
        var live = Flow(FlowState.LoginRequested, now.AddMinutes(5));
        var consent = Flow(FlowState.Completed, now.AddMinutes(-5));
        foreach (var flow in new[] { abandoned, live, consent }) await flows.InsertAsync(flow, CancellationToken.None);
        var logout = new LogoutFlow { Id = Guid.NewGuid(), ExpiresAt = now.AddMinutes(-1) };
        await flows.InsertAsync(logout, CancellationToken.None);
        var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        work.Session.Store(new LoginSession { Id = "expired", Subject = "alice", ExpiresAt = now.AddMinutes(-1) });
        work.Session.Store(new LoginSession { Id = "live", Subject = "alice", ExpiresAt = now.AddDays(1) });
        await work.SaveChangesAsync(CancellationToken.None);

        var janitor = new FlowJanitor(
            fixture.Services.GetRequiredService<IOAuth2Store>(), fixture.Services.GetRequiredService<NpgsqlDataSource>(), TimeProvider.System, NullLogger<FlowJanitor>.Instance);
        Assert.True(await janitor.SweepAsync(now, CancellationToken.None) >= 3);

        Assert.Null(await flows.FindAsync(abandoned.Id, CancellationToken.None));
        Assert.NotNull(await flows.FindAsync(live.Id, CancellationToken.None));
        Assert.NotNull(await flows.FindAsync(consent.Id, CancellationToken.None));
        Assert.Null(await flows.FindLogoutAsync(logout.Id, CancellationToken.None));
        Assert.Null(await work.Session.LoadAsync<LoginSession>("expired"));
        Assert.NotNull(await work.Session.LoadAsync<LoginSession>("live"));
    }
}
