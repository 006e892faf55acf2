using Latchkey.OAuth2.Flows;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.OAuth2.Tests.Flows;

/// <summary>Every allowed and every refused transition of a login-and-consent flow, on a fake clock.</summary>
public sealed class LoginConsentFlowTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
    DateTimeOffset Now => _clock.GetUtcNow();

    static AcceptLoginJson Login(string? subject = "alice", bool? remember = null, long? rememberFor = null) =>
        new(subject, remember, rememberFor, "1", ["pwd"], null);

    static AcceptConsentJson Consent(List<string>? scope = null, List<string>? audience = null, long? rememberFor = null) =>
        new(scope ?? ["openid"], audience ?? ["api"], true, rememberFor, new ConsentClaimsJson(null, new() { ["email"] = "a@example.com" }), null);

    static RejectJson Denied => new(null, null, null, null);

    static FlowFailure Refused<T>(FlowResult<T> result)
    {
        Assert.True(result.Failed(out var failure, out _));
        return failure;
    }

    static T Value<T>(FlowResult<T> result)
    {
        Assert.False(result.Failed(out var failure, out var value), failure?.Error.Id);
        return value;
    }

    // ---- login request ----

    [Fact]
    public void CheckLoginChallenge_NewFlow_IsAllowed()
    {
        var flow = TestFlows.Requested(Now);
        Assert.Null(flow.CheckLoginChallenge(flow.LoginChallenge, Now));
    }

    [Fact]
    public void CheckLoginChallenge_OtherOrMissingChallenge_IsUnknown()
    {
        var flow = TestFlows.Requested(Now);
        foreach (var challenge in new[] { null, "", FlowSecrets.New(flow.Id) })
        {
            var refused = flow.CheckLoginChallenge(challenge, Now)!;
            Assert.Equal(FlowOutcome.Unknown, refused.Outcome);
            Assert.Equal("LK3000", refused.Error.Id);
        }
    }

    [Fact]
    public void CheckLoginChallenge_AfterTtl_IsExpired()
    {
        var flow = TestFlows.Requested(Now);
        _clock.Advance(TestFlows.Ttl);
        var refused = flow.CheckLoginChallenge(flow.LoginChallenge, Now)!;
        Assert.Equal(FlowOutcome.Expired, refused.Outcome);
        Assert.Equal(404, refused.Error.Status);
    }

    [Fact]
    public void CheckLoginChallenge_AfterAccept_IsAlreadyHandledWithRequestUrl()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        var refused = flow.CheckLoginChallenge(flow.LoginChallenge, Now)!;
        Assert.Equal(FlowOutcome.AlreadyHandled, refused.Outcome);
        Assert.Equal(flow.RequestUrl, refused.RequestUrl);
    }

    // ---- accept login ----

    [Fact]
    public void AcceptLogin_NewFlow_MovesToLoginAcceptedWithAVerifier()
    {
        var flow = TestFlows.Requested(Now);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var verifier = Value(flow.AcceptLogin(flow.LoginChallenge, Login(remember: true, rememberFor: 60), Now));

        Assert.Equal(FlowState.LoginAccepted, flow.State);
        Assert.Equal(flow.Id, FlowSecrets.FlowIdOf(verifier));
        Assert.Equal(FlowSecrets.Hash(verifier), flow.LoginVerifierHash);
        Assert.Equal(("alice", true, 60L, "1"), (flow.Subject, flow.LoginRemember, flow.LoginRememberFor, flow.Acr));
        Assert.Equal(["pwd"], flow.Amr);
        Assert.Equal(Now, flow.AuthenticatedAt);
    }

    [Fact]
    public void AcceptLogin_Twice_IsAlreadyHandled()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        Assert.Equal(FlowOutcome.AlreadyHandled, Refused(flow.AcceptLogin(flow.LoginChallenge, Login(), Now)).Outcome);
    }

    [Fact]
    public void AcceptLogin_AfterTtl_IsExpiredAndStaysRequested()
    {
        var flow = TestFlows.Requested(Now);
        _clock.Advance(TestFlows.Ttl + TimeSpan.FromSeconds(1));
        Assert.Equal(FlowOutcome.Expired, Refused(flow.AcceptLogin(flow.LoginChallenge, Login(), Now)).Outcome);
        Assert.Equal(FlowState.LoginRequested, flow.State);
    }

    [Fact]
    public void AcceptLogin_WrongChallenge_IsUnknown()
    {
        var flow = TestFlows.Requested(Now);
        Assert.Equal(FlowOutcome.Unknown, Refused(flow.AcceptLogin(FlowSecrets.New(flow.Id), Login(), Now)).Outcome);
    }

    [Theory]
    [InlineData(null, null, "LK3005")]
    [InlineData(" ", null, "LK3005")]
    [InlineData("alice", -1L, "LK3007")]
    [InlineData("alice", LoginConsentFlow.MaxRememberForSeconds + 1, "LK3008")]
    public void AcceptLogin_BrokenRule_IsInvalidAndStaysRequested(string? subject, long? rememberFor, string id)
    {
        var flow = TestFlows.Requested(Now);
        var refused = Refused(flow.AcceptLogin(flow.LoginChallenge, Login(subject, true, rememberFor), Now));
        Assert.Equal((FlowOutcome.Invalid, id, 400), (refused.Outcome, refused.Error.Id, refused.Error.Status));
        Assert.Equal(FlowState.LoginRequested, flow.State);
    }

    [Fact]
    public void AcceptLogin_SkippedLoginOfAnotherSubject_IsInvalid()
    {
        var flow = TestFlows.Requested(Now);
        flow.SkipLogin("alice", Now.AddHours(-1));
        Assert.Equal("LK3006", Refused(flow.AcceptLogin(flow.LoginChallenge, Login("mallory"), Now)).Error.Id);
    }

    [Fact]
    public void AcceptLogin_SkippedLogin_KeepsTheFirstAuthenticationTime()
    {
        var flow = TestFlows.Requested(Now);
        var authenticated = Now.AddHours(-1);
        flow.SkipLogin("alice", authenticated);
        Value(flow.AcceptLogin(flow.LoginChallenge, Login(), Now));
        Assert.True(flow.LoginSkip);
        Assert.Equal(authenticated, flow.AuthenticatedAt);
    }

    [Fact]
    public void SkipLogin_AfterAccept_Throws()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        Assert.Throws<InvalidOperationException>(() => flow.SkipLogin("alice", Now));
    }

    // ---- reject login ----

    [Fact]
    public void RejectLogin_NewFlow_MovesToRejectedWithTheDefaultError()
    {
        var flow = TestFlows.Requested(Now);
        var verifier = Value(flow.RejectLogin(flow.LoginChallenge, new RejectJson(null, null, "Locked.", null), Now));
        Assert.Equal(FlowState.Rejected, flow.State);
        Assert.Equal(FlowSecrets.Hash(verifier), flow.LoginVerifierHash);
        Assert.Equal("access_denied", flow.RejectError);
        Assert.Equal("The resource owner or authorization server denied the request. Locked.", flow.RejectErrorDescription);
    }

    [Fact]
    public void RejectLogin_AfterAccept_IsAlreadyHandled()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        Assert.Equal(FlowOutcome.AlreadyHandled, Refused(flow.RejectLogin(flow.LoginChallenge, Denied, Now)).Outcome);
        Assert.Equal(FlowState.LoginAccepted, flow.State);
    }

    [Fact]
    public void RejectLogin_AfterTtl_IsExpired()
    {
        var flow = TestFlows.Requested(Now);
        _clock.Advance(TestFlows.Ttl);
        Assert.Equal(FlowOutcome.Expired, Refused(flow.RejectLogin(flow.LoginChallenge, Denied, Now)).Outcome);
    }

    // ---- login verifier ----

    [Fact]
    public void RedeemLoginVerifier_AcceptedLogin_MovesToConsentRequestedWithAChallenge()
    {
        var (flow, verifier) = TestFlows.LoginAccepted(Now);
        var challenge = Value(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now));
        Assert.Equal(FlowState.ConsentRequested, flow.State);
        Assert.Equal(flow.ConsentChallenge, challenge);
        Assert.Equal(flow.Id, FlowSecrets.FlowIdOf(challenge));
        Assert.False(flow.ConsentSkip);
    }

    [Fact]
    public void RedeemLoginVerifier_Twice_IsAlreadyHandled()
    {
        var (flow, verifier) = TestFlows.LoginAccepted(Now);
        Value(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now));
        var refused = Refused(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now));
        Assert.Equal((FlowOutcome.AlreadyHandled, "LK3014"), (refused.Outcome, refused.Error.Id));
    }

    [Theory]
    [InlineData("other-client", TestFlows.Csrf)]
    [InlineData(TestFlows.ClientId, null)]
    [InlineData(TestFlows.ClientId, "csrf-of-another-browser")]
    public void RedeemLoginVerifier_OtherClientOrBrowser_IsUnknown(string clientId, string? csrf)
    {
        var (flow, verifier) = TestFlows.LoginAccepted(Now);
        var refused = Refused(flow.RedeemLoginVerifier(verifier, clientId, csrf, Now));
        Assert.Equal((FlowOutcome.Unknown, "LK3014"), (refused.Outcome, refused.Error.Id));
        Assert.Equal(FlowState.LoginAccepted, flow.State);
    }

    [Fact]
    public void RedeemLoginVerifier_ForgedVerifier_IsUnknown()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        Assert.Equal(FlowOutcome.Unknown, Refused(flow.RedeemLoginVerifier(FlowSecrets.New(flow.Id), TestFlows.ClientId, TestFlows.Csrf, Now)).Outcome);
    }

    [Fact]
    public void RedeemLoginVerifier_AfterTtl_IsExpired()
    {
        var (flow, verifier) = TestFlows.LoginAccepted(Now);
        _clock.Advance(TestFlows.Ttl);
        Assert.Equal(FlowOutcome.Expired, Refused(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now)).Outcome);
    }

    [Fact]
    public void RedeemLoginVerifier_RejectedLogin_DeliversTheErrorOnce()
    {
        var flow = TestFlows.Requested(Now);
        var verifier = Value(flow.RejectLogin(flow.LoginChallenge, new RejectJson("login_required", "No account.", null, 403), Now));

        var rejected = Refused(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now));
        Assert.Equal((FlowOutcome.Rejected, "login_required", "No account."), (rejected.Outcome, rejected.Error.Error, rejected.Error.Description));
        Assert.Equal(FlowState.Rejected, flow.State);
        Assert.Null(flow.LoginVerifierHash);

        Assert.Equal(FlowOutcome.Unknown, Refused(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now)).Outcome);
    }

    [Fact]
    public void RedeemLoginVerifier_RejectedLoginFromAnotherBrowser_IsUnknown()
    {
        var flow = TestFlows.Requested(Now);
        var verifier = Value(flow.RejectLogin(flow.LoginChallenge, Denied, Now));
        Assert.Equal(FlowOutcome.Unknown, Refused(flow.RedeemLoginVerifier(verifier, TestFlows.ClientId, "csrf-of-another-browser", Now)).Outcome);
        Assert.NotNull(flow.LoginVerifierHash);
    }

    // ---- skip consent ----

    [Fact]
    public void SkipConsent_ConsentRequested_MarksTheRequestSkipped()
    {
        var flow = TestFlows.ConsentRequested(Now);
        Assert.Null(flow.SkipConsent());
        Assert.True(flow.ConsentSkip);
    }

    [Fact]
    public void SkipConsent_BeforeTheLoginVerifier_IsAlreadyHandled()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        Assert.Equal(FlowOutcome.AlreadyHandled, flow.SkipConsent()!.Outcome);
        Assert.False(flow.ConsentSkip);
    }

    // ---- consent request ----

    [Fact]
    public void CheckConsentChallenge_ConsentRequested_IsAllowed_LoginChallengeIsNot()
    {
        var flow = TestFlows.ConsentRequested(Now);
        Assert.Null(flow.CheckConsentChallenge(flow.ConsentChallenge, Now));
        Assert.Equal("LK3001", flow.CheckConsentChallenge(flow.LoginChallenge, Now)!.Error.Id);
    }

    [Fact]
    public void CheckConsentChallenge_BeforeConsentIsRequested_IsUnknown()
    {
        var (flow, _) = TestFlows.LoginAccepted(Now);
        Assert.Equal(FlowOutcome.Unknown, flow.CheckConsentChallenge(FlowSecrets.New(flow.Id), Now)!.Outcome);
    }

    [Fact]
    public void AcceptConsent_ConsentRequested_MovesToConsentAcceptedWithTheGrant()
    {
        var flow = TestFlows.ConsentRequested(Now);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var verifier = Value(flow.AcceptConsent(flow.ConsentChallenge, Consent(rememberFor: 3600), ["api"], Now));
        Assert.Equal(FlowState.ConsentAccepted, flow.State);
        Assert.Equal(FlowSecrets.Hash(verifier), flow.ConsentVerifierHash);
        Assert.Equal(["openid"], flow.GrantedScope);
        Assert.Equal(["api"], flow.GrantedAudience);
        Assert.Equal((true, 3600L, Now), (flow.ConsentRemember, flow.ConsentRememberFor, flow.ConsentHandledAt));
        Assert.Equal("a@example.com", (string?)flow.IdTokenClaims!["email"]);
    }

    [Fact]
    public void AcceptConsent_ScopeNotRequested_IsInvalid()
    {
        var flow = TestFlows.ConsentRequested(Now);
        var refused = Refused(flow.AcceptConsent(flow.ConsentChallenge, Consent(scope: ["openid", "admin"]), ["api"], Now));
        Assert.Equal((FlowOutcome.Invalid, "LK3009"), (refused.Outcome, refused.Error.Id));
        Assert.Equal(FlowState.ConsentRequested, flow.State);
    }

    [Fact]
    public void AcceptConsent_AudienceNotAllowed_IsInvalid()
    {
        var flow = TestFlows.ConsentRequested(Now);
        Assert.Equal("LK3010", Refused(flow.AcceptConsent(flow.ConsentChallenge, Consent(audience: ["other"]), ["api"], Now)).Error.Id);
    }

    [Fact]
    public void AcceptConsent_ClientGoneWithAnAudience_IsInvalid()
    {
        var flow = TestFlows.ConsentRequested(Now);
        Assert.Equal("LK3010", Refused(flow.AcceptConsent(flow.ConsentChallenge, Consent(), null, Now)).Error.Id);
    }

    [Fact]
    public void AcceptConsent_RememberForTooLong_IsInvalid()
    {
        var flow = TestFlows.ConsentRequested(Now);
        Assert.Equal("LK3008", Refused(flow.AcceptConsent(flow.ConsentChallenge, Consent(rememberFor: long.MaxValue), ["api"], Now)).Error.Id);
    }

    [Fact]
    public void AcceptConsent_Twice_IsAlreadyHandled()
    {
        var (flow, _) = TestFlows.ConsentAccepted(Now);
        Assert.Equal(FlowOutcome.AlreadyHandled, Refused(flow.AcceptConsent(flow.ConsentChallenge, Consent(), ["api"], Now)).Outcome);
    }

    [Fact]
    public void AcceptConsent_AfterTtl_IsExpired()
    {
        var flow = TestFlows.ConsentRequested(Now);
        _clock.Advance(TestFlows.Ttl);
        Assert.Equal(FlowOutcome.Expired, Refused(flow.AcceptConsent(flow.ConsentChallenge, Consent(), ["api"], Now)).Outcome);
    }

    [Fact]
    public void RejectConsent_ConsentRequested_MovesToRejected_AndTheVerifierDeliversTheError()
    {
        var flow = TestFlows.ConsentRequested(Now);
        var verifier = Value(flow.RejectConsent(flow.ConsentChallenge, new RejectJson("access_denied", "Denied.", null, 403), Now));
        Assert.Equal(FlowState.Rejected, flow.State);
        var rejected = flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now)!;
        Assert.Equal((FlowOutcome.Rejected, "access_denied", "Denied."), (rejected.Outcome, rejected.Error.Error, rejected.Error.Description));
        Assert.Null(flow.ConsentVerifierHash);
        Assert.Equal(FlowOutcome.Unknown, flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now)!.Outcome);
    }

    [Fact]
    public void RejectConsent_AfterAccept_IsAlreadyHandled()
    {
        var (flow, _) = TestFlows.ConsentAccepted(Now);
        Assert.Equal(FlowOutcome.AlreadyHandled, Refused(flow.RejectConsent(flow.ConsentChallenge, Denied, Now)).Outcome);
        Assert.Equal(FlowState.ConsentAccepted, flow.State);
    }

    // ---- consent verifier ----

    [Fact]
    public void RedeemConsentVerifier_AcceptedConsent_Completes()
    {
        var (flow, verifier) = TestFlows.ConsentAccepted(Now);
        Assert.Null(flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now));
        Assert.Equal(FlowState.Completed, flow.State);
    }

    [Fact]
    public void RedeemConsentVerifier_Twice_IsAlreadyHandled()
    {
        var (flow, verifier) = TestFlows.ConsentAccepted(Now);
        flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now);
        var refused = flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now)!;
        Assert.Equal((FlowOutcome.AlreadyHandled, "LK3014"), (refused.Outcome, refused.Error.Id));
    }

    [Fact]
    public void RedeemConsentVerifier_LoginVerifier_IsUnknown()
    {
        var (flow, loginVerifier) = TestFlows.LoginAccepted(Now);
        flow.RedeemLoginVerifier(loginVerifier, TestFlows.ClientId, TestFlows.Csrf, Now);
        flow.AcceptConsent(flow.ConsentChallenge, Consent(), ["api"], Now);
        Assert.Equal(FlowOutcome.Unknown, flow.RedeemConsentVerifier(loginVerifier, TestFlows.ClientId, TestFlows.Csrf, Now)!.Outcome);
        Assert.Equal(FlowState.ConsentAccepted, flow.State);
    }

    [Fact]
    public void RedeemConsentVerifier_OtherBrowser_IsUnknown()
    {
        var (flow, verifier) = TestFlows.ConsentAccepted(Now);
        Assert.Equal(FlowOutcome.Unknown, flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, null, Now)!.Outcome);
    }

    [Fact]
    public void RedeemConsentVerifier_AfterTtl_IsExpired()
    {
        var (flow, verifier) = TestFlows.ConsentAccepted(Now);
        _clock.Advance(TestFlows.Ttl);
        Assert.Equal(FlowOutcome.Expired, flow.RedeemConsentVerifier(verifier, TestFlows.ClientId, TestFlows.Csrf, Now)!.Outcome);
        Assert.Equal(FlowState.ConsentAccepted, flow.State);
    }

    // ---- consent session ----

    [Fact]
    public void Covers_RememberedForAnHour_UntilTheHourIsOver()
    {
        var flow = TestFlows.Completed(Now, remember: true, rememberFor: 3600);
        Assert.True(flow.Covers(["openid"], ["api"], Now));
        Assert.False(flow.Covers(["openid", "offline"], ["api"], Now));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(flow.Covers(["openid"], ["api"], Now));
    }

    [Fact]
    public void Covers_RememberedUntilRevoked_OutlivesTheFlowButNotTheRevocation()
    {
        var flow = TestFlows.Completed(Now, remember: true, rememberFor: 0);
        _clock.Advance(TimeSpan.FromDays(3650));
        Assert.True(flow.Covers(["openid"], [], Now));
        flow.RevokeConsent();
        Assert.False(flow.Covers(["openid"], [], Now));
    }

    [Fact]
    public void Covers_NotRemembered_IsFalse()
    {
        Assert.False(TestFlows.Completed(Now, remember: false).Covers(["openid"], [], Now));
    }
}
