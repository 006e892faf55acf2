using Latchkey.OAuth2.Flows;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.OAuth2.Tests.Flows;

/// <summary>Every allowed and every refused transition of a logout flow, on a fake clock.</summary>
public sealed class LogoutFlowTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 6, 0, 0, TimeSpan.Zero));
    DateTimeOffset Now => _clock.GetUtcNow();

    string Accepted(LogoutFlow flow)
    {
        Assert.False(flow.Accept(flow.Challenge, Now).Failed(out _, out var verifier));
        return verifier;
    }

    [Fact]
    public void CheckChallenge_Requested_IsAllowed()
    {
        var flow = TestFlows.Logout(Now);
        Assert.Null(flow.CheckChallenge(flow.Challenge, Now));
    }

    [Fact]
    public void CheckChallenge_OtherChallenge_IsUnknown()
    {
        var flow = TestFlows.Logout(Now);
        var refused = flow.CheckChallenge(FlowSecrets.New(flow.Id), Now)!;
        Assert.Equal((FlowOutcome.Unknown, "LK3002", 404), (refused.Outcome, refused.Error.Id, refused.Error.Status));
    }

    [Fact]
    public void CheckChallenge_AfterTtl_IsExpired()
    {
        var flow = TestFlows.Logout(Now);
        _clock.Advance(TestFlows.Ttl);
        Assert.Equal(FlowOutcome.Expired, flow.CheckChallenge(flow.Challenge, Now)!.Outcome);
    }

    [Fact]
    public void Accept_Requested_MovesToAcceptedWithAVerifier()
    {
        var flow = TestFlows.Logout(Now);
        var verifier = Accepted(flow);
        Assert.Equal(LogoutState.Accepted, flow.State);
        Assert.Equal(FlowSecrets.Hash(verifier), flow.VerifierHash);
    }

    [Fact]
    public void Accept_Twice_IsAlreadyHandledWithRequestUrl()
    {
        var flow = TestFlows.Logout(Now);
        Accepted(flow);
        Assert.True(flow.Accept(flow.Challenge, Now).Failed(out var refused, out _));
        Assert.Equal((FlowOutcome.AlreadyHandled, flow.RequestUrl), (refused.Outcome, refused.RequestUrl));
    }

    [Fact]
    public void Accept_AfterTtl_IsExpired()
    {
        var flow = TestFlows.Logout(Now);
        _clock.Advance(TestFlows.Ttl);
        Assert.True(flow.Accept(flow.Challenge, Now).Failed(out var refused, out _));
        Assert.Equal(FlowOutcome.Expired, refused.Outcome);
        Assert.Equal(LogoutState.Requested, flow.State);
    }

    [Fact]
    public void Reject_Requested_MovesToRejected()
    {
        var flow = TestFlows.Logout(Now);
        Assert.Null(flow.Reject(flow.Challenge, Now));
        Assert.Equal(LogoutState.Rejected, flow.State);
    }

    [Fact]
    public void Reject_AfterAccept_IsAlreadyHandled()
    {
        var flow = TestFlows.Logout(Now);
        Accepted(flow);
        Assert.Equal(FlowOutcome.AlreadyHandled, flow.Reject(flow.Challenge, Now)!.Outcome);
        Assert.Equal(LogoutState.Accepted, flow.State);
    }

    [Fact]
    public void Complete_Accepted_MovesToCompleted()
    {
        var flow = TestFlows.Logout(Now);
        var verifier = Accepted(flow);
        Assert.Null(flow.Complete(verifier, TestFlows.Csrf, Now));
        Assert.Equal(LogoutState.Completed, flow.State);
    }

    [Fact]
    public void Complete_Twice_IsAlreadyHandled()
    {
        var flow = TestFlows.Logout(Now);
        var verifier = Accepted(flow);
        flow.Complete(verifier, TestFlows.Csrf, Now);
        var refused = flow.Complete(verifier, TestFlows.Csrf, Now)!;
        Assert.Equal((FlowOutcome.AlreadyHandled, "LK3015"), (refused.Outcome, refused.Error.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("csrf-of-another-browser")]
    public void Complete_OtherBrowser_IsUnknown(string? csrf)
    {
        var flow = TestFlows.Logout(Now);
        var verifier = Accepted(flow);
        Assert.Equal(FlowOutcome.Unknown, flow.Complete(verifier, csrf, Now)!.Outcome);
        Assert.Equal(LogoutState.Accepted, flow.State);
    }

    [Fact]
    public void Complete_RejectedOrNeverAccepted_IsUnknown()
    {
        var flow = TestFlows.Logout(Now);
        Assert.Equal(FlowOutcome.Unknown, flow.Complete(FlowSecrets.New(flow.Id), TestFlows.Csrf, Now)!.Outcome);
        flow.Reject(flow.Challenge, Now);
        Assert.Equal(FlowOutcome.Unknown, flow.Complete(FlowSecrets.New(flow.Id), TestFlows.Csrf, Now)!.Outcome);
    }

    [Fact]
    public void Complete_AfterTtl_IsExpired()
    {
        var flow = TestFlows.Logout(Now);
        var verifier = Accepted(flow);
        _clock.Advance(TestFlows.Ttl);
        Assert.Equal(FlowOutcome.Expired, flow.Complete(verifier, TestFlows.Csrf, Now)!.Outcome);
    }
}
