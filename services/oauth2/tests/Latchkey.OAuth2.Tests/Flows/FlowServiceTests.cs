using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Tenancy;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.OAuth2.Tests.Flows;

/// <summary>The flow steps against real storage: what a step saves, what it answers, and that two racing steps cannot both win.</summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class FlowServiceTests(OAuth2StorageFixture fixture)
{
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly ProjectInfo _project = TestProjectContext.NewProject();

    FlowService ServiceIn(AsyncServiceScope scope) => new(
        Store(scope), new LoginSessions(Work(scope), _clock), scope.ServiceProvider.GetRequiredService<ClientStore>(), Work(scope),
        scope.ServiceProvider.GetRequiredService<IProjectContext>(), _clock);

    FlowStore Store(AsyncServiceScope scope) => new(Work(scope), _clock);

    static UnitOfWork Work(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<UnitOfWork>();

    static AcceptLoginJson Alice(bool remember = false) => new("alice", remember, null, null, ["pwd"], null);

    async Task<LoginConsentFlow> InsertedAsync(LoginConsentFlow flow)
    {
        await using var scope = fixture.ScopeFor(_project);
        await Store(scope).InsertAsync(flow, CancellationToken.None);
        return flow;
    }

    static T Value<T>(FlowResult<T> result)
    {
        Assert.False(result.Failed(out var failure, out var value), failure?.Error.Id);
        return value;
    }

    static FlowFailure Refused<T>(FlowResult<T> result)
    {
        Assert.True(result.Failed(out var failure, out _));
        return failure;
    }

    [Fact]
    public async Task Store_CompletedFlow_KeepsWhatItsStepsWrote()
    {
        var flow = await InsertedAsync(TestFlows.Completed(_clock.GetUtcNow(), remember: true, rememberFor: 60));
        await using var scope = fixture.ScopeFor(_project);
        var loaded = (await Store(scope).FindAsync(flow.Id, CancellationToken.None))!;
        Assert.Equal((FlowState.Completed, "alice", true, 60L), (loaded.State, loaded.Subject, loaded.ConsentRemember, loaded.ConsentRememberFor));
        Assert.Equal(flow.GrantedScope, loaded.GrantedScope);
        Assert.Equal(flow.ConsentVerifierHash, loaded.ConsentVerifierHash);
        Assert.Equal(flow.AuthenticatedAt, loaded.AuthenticatedAt);
    }

    [Fact]
    public async Task AcceptLogin_NewFlow_SavesAndRedirectsWithTheVerifier()
    {
        var flow = await InsertedAsync(TestFlows.Requested(_clock.GetUtcNow()));
        await using var scope = fixture.ScopeFor(_project);
        var redirect = Value(await ServiceIn(scope).AcceptLoginAsync(flow.LoginChallenge, Alice(), CancellationToken.None));

        Assert.StartsWith(flow.RequestUrl + "&login_verifier=", redirect, StringComparison.Ordinal);
        var saved = (await Store(scope).FindAsync(flow.Id, CancellationToken.None))!;
        Assert.Equal(FlowState.LoginAccepted, saved.State);
        Assert.Equal(FlowSecrets.Hash(Uri.UnescapeDataString(redirect.Split("login_verifier=")[1])), saved.LoginVerifierHash);
    }

    [Fact]
    public async Task AcceptLogin_TwoAtOnce_OnlyOneWins()
    {
        var flow = await InsertedAsync(TestFlows.Requested(_clock.GetUtcNow()));
        async Task<FlowResult<string>> AcceptAsync()
        {
            await using var scope = fixture.ScopeFor(_project);
            return await ServiceIn(scope).AcceptLoginAsync(flow.LoginChallenge, Alice(), CancellationToken.None);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(AcceptAsync)));
        Assert.Single(results, r => r.Failure is null);
        Assert.All(results.Where(r => r.Failure is not null), r => Assert.Contains(r.Failure!.Outcome, new[] { FlowOutcome.AlreadyHandled, FlowOutcome.Conflict }));
        Assert.All(results.Where(r => r.Failure?.Outcome == FlowOutcome.Conflict), r => Assert.Equal("LK3004", r.Failure!.Error.Id));
    }

    [Fact]
    public async Task GetLoginRequest_UnknownOrExpired_IsRefusedAsUnknownChallenge()
    {
        var flow = await InsertedAsync(TestFlows.Requested(_clock.GetUtcNow()));
        await using var scope = fixture.ScopeFor(_project);
        var service = ServiceIn(scope);

        Assert.Equal(FlowOutcome.Unknown, Refused(await service.GetLoginRequestAsync(FlowSecrets.New(Guid.NewGuid()), CancellationToken.None)).Outcome);
        _clock.Advance(TestFlows.Ttl);
        var expired = Refused(await service.GetLoginRequestAsync(flow.LoginChallenge, CancellationToken.None));
        Assert.Equal((FlowOutcome.Expired, "LK3000"), (expired.Outcome, expired.Error.Id));
    }

    [Fact]
    public async Task RedeemLoginVerifier_RememberedLogin_SavesTheLoginSessionAndNamesItsCookie()
    {
        var (accepted, verifier) = TestFlows.LoginAccepted(_clock.GetUtcNow(), Alice(remember: true));
        var flow = await InsertedAsync(accepted);
        await using var scope = fixture.ScopeFor(_project);

        var redeemed = Value(await ServiceIn(scope).RedeemLoginVerifierAsync(verifier, TestFlows.ClientId, TestFlows.Csrf, CancellationToken.None));

        Assert.StartsWith(flow.LoginSessionId + ".", redeemed.SessionCookie, StringComparison.Ordinal);
        Assert.Null(redeemed.SessionCookieExpires);
        Assert.False(redeemed.ClearSessionCookie);
        var saved = (await Store(scope).FindAsync(flow.Id, CancellationToken.None))!;
        Assert.Equal((FlowState.ConsentRequested, redeemed.ConsentChallenge, false), (saved.State, saved.ConsentChallenge, saved.ConsentSkip));
        Assert.Equal("alice", (await Work(scope).Session.LoadAsync<LoginSession>(flow.LoginSessionId))?.Subject);
    }

    [Fact]
    public async Task RedeemLoginVerifier_RememberedConsentCoversTheRequest_SkipsConsent()
    {
        var now = _clock.GetUtcNow();
        await InsertedAsync(TestFlows.Completed(now, remember: true));
        var (accepted, verifier) = TestFlows.LoginAccepted(now);
        accepted.RequestedScope.Remove("offline");
        var flow = await InsertedAsync(accepted);
        await using var scope = fixture.ScopeFor(_project);

        var redeemed = Value(await ServiceIn(scope).RedeemLoginVerifierAsync(verifier, TestFlows.ClientId, TestFlows.Csrf, CancellationToken.None));

        Assert.True(redeemed.ClearSessionCookie);
        Assert.True((await Store(scope).FindAsync(flow.Id, CancellationToken.None))!.ConsentSkip);
    }

    [Fact]
    public async Task RedeemLoginVerifier_Rejected_SavesTheRedemptionOnce()
    {
        var requested = TestFlows.Requested(_clock.GetUtcNow());
        requested.RejectLogin(requested.LoginChallenge, new RejectJson("access_denied", "No.", null, null), _clock.GetUtcNow()).Failed(out _, out var verifier);
        await InsertedAsync(requested);
        await using var scope = fixture.ScopeFor(_project);
        var service = ServiceIn(scope);

        var rejected = Refused(await service.RedeemLoginVerifierAsync(verifier!, TestFlows.ClientId, TestFlows.Csrf, CancellationToken.None));
        Assert.Equal((FlowOutcome.Rejected, "access_denied"), (rejected.Outcome, rejected.Error.Error));
        var again = Refused(await service.RedeemLoginVerifierAsync(verifier!, TestFlows.ClientId, TestFlows.Csrf, CancellationToken.None));
        Assert.Equal((FlowOutcome.Unknown, "LK3014"), (again.Outcome, again.Error.Id));
    }

    [Fact]
    public async Task RedeemConsentVerifier_Accepted_CompletesInTheSignInUnitOfWork()
    {
        var (accepted, verifier) = TestFlows.ConsentAccepted(_clock.GetUtcNow());
        var flow = await InsertedAsync(accepted);
        await using var scope = fixture.ScopeFor(_project);

        var completed = Value(await ServiceIn(scope).RedeemConsentVerifierAsync(verifier, TestFlows.ClientId, TestFlows.Csrf, CancellationToken.None));
        Assert.Equal(FlowState.Completed, completed.State);
        Assert.Equal(FlowState.ConsentAccepted, (await Store(scope).FindAsync(flow.Id, CancellationToken.None))!.State);

        Assert.True(await Work(scope).CommitHeldAsync(CancellationToken.None));
        Assert.Equal(FlowState.Completed, (await Store(scope).FindAsync(flow.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Logout_AcceptedThenCompleted_EndsTheLoginSession()
    {
        var logout = TestFlows.Logout(_clock.GetUtcNow());
        await using var scope = fixture.ScopeFor(_project);
        Work(scope).Session.Store(new LoginSession { Id = logout.Sid, Subject = "alice", ExpiresAt = _clock.GetUtcNow().AddDays(1) });
        await Work(scope).SaveChangesAsync(CancellationToken.None);
        await Store(scope).InsertAsync(logout, CancellationToken.None);
        var service = ServiceIn(scope);

        var redirect = Value(await service.AcceptLogoutAsync(logout.Challenge, CancellationToken.None));
        Assert.StartsWith(scope.ServiceProvider.GetRequiredService<IProjectContext>().Issuer + "/oauth2/sessions/logout?logout_verifier=", redirect, StringComparison.Ordinal);
        var verifier = Uri.UnescapeDataString(redirect.Split("logout_verifier=")[1]);
        Assert.Equal(FlowOutcome.AlreadyHandled, (await service.RejectLogoutAsync(logout.Challenge, CancellationToken.None))!.Outcome);

        Assert.Equal(LogoutState.Completed, Value(await service.CompleteLogoutAsync(verifier, TestFlows.Csrf, CancellationToken.None)).State);
        Assert.Null(await Work(scope).Session.LoadAsync<LoginSession>(logout.Sid));
        Assert.Equal(FlowOutcome.AlreadyHandled, Refused(await service.CompleteLogoutAsync(verifier, TestFlows.Csrf, CancellationToken.None)).Outcome);
    }
}
