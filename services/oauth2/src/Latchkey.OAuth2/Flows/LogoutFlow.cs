using System.Text.Json.Serialization;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Where a logout flow stands. Only <see cref="LogoutFlow"/>'s own methods move it; the challenge is answered once
/// and the verifier redeemed once:
/// <code>
///  end_session ──► Requested ──Accept──► Accepted ──Complete (logout_verifier)──► Completed (login session ended)
///                     └──Reject──► Rejected (the user stays signed in)
/// </code>
/// Past <see cref="LogoutFlow.ExpiresAt"/> every step is refused.
/// </summary>
public enum LogoutState
{
    Requested,
    Accepted,
    Completed,
    Rejected,
}

/// <summary>
/// One RP-initiated logout on its way through the project's logout app, Hydra style: the browser arrives at
/// <c>/oauth2/sessions/logout</c>, the app accepts the <c>logout_challenge</c>, and the browser comes back with
/// a <c>logout_verifier</c> (stored hashed, bound to the browser by a CSRF cookie) that ends the login session.
/// </summary>
public sealed class LogoutFlow
{
    public Guid Id { get; init; }
    [JsonInclude] public LogoutState State { get; private set; }
    public string Csrf { get; init; } = "";
    public string Challenge { get; init; } = "";
    [JsonInclude] public string? VerifierHash { get; private set; }

    public string Subject { get; init; } = "";
    public string Sid { get; init; } = "";
    public string? ClientId { get; init; }
    public string RequestUrl { get; init; } = "";
    public bool RpInitiated { get; init; }
    public string? PostLogoutRedirectUri { get; init; }
    public string? OAuthState { get; init; }

    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Marten's optimistic-concurrency version (see <c>OAuth2Schema</c>): each step is saved once.</summary>
    public Guid Version { get; set; }

    /// <summary>Whether the logout app may read the logout request.</summary>
    public FlowFailure? CheckChallenge(string? challenge, DateTimeOffset now)
    {
        if (challenge is null || !FlowSecrets.Matches(challenge, Challenge)) return new(FlowOutcome.Unknown, FlowErrors.UnknownLogoutChallenge);
        if (ExpiresAt <= now) return new(FlowOutcome.Expired, FlowErrors.UnknownLogoutChallenge);
        return State == LogoutState.Requested ? null : FlowFailure.Handled(RequestUrl, FlowErrors.AlreadyHandled);
    }

    /// <summary>The logout app confirmed; returns the logout verifier.</summary>
    public FlowResult<string> Accept(string? challenge, DateTimeOffset now)
    {
        if (CheckChallenge(challenge, now) is { } refused) return refused;
        var verifier = FlowSecrets.New(Id);
        State = LogoutState.Accepted;
        VerifierHash = FlowSecrets.Hash(verifier);
        return verifier;
    }

    /// <summary>The user stays signed in; as in Hydra, the logout app decides where the browser goes.</summary>
    public FlowFailure? Reject(string? challenge, DateTimeOffset now)
    {
        if (CheckChallenge(challenge, now) is { } refused) return refused;
        State = LogoutState.Rejected;
        return null;
    }

    /// <summary>The browser is back with the logout verifier: saving the completed flow ends its login session.</summary>
    public FlowFailure? Complete(string verifier, string? csrf, DateTimeOffset now)
    {
        if (!FlowSecrets.Matches(FlowSecrets.Hash(verifier), VerifierHash) || csrf is null || !FlowSecrets.Matches(csrf, Csrf))
            return new(FlowOutcome.Unknown, FlowErrors.InvalidLogoutVerifier);
        if (ExpiresAt <= now) return new(FlowOutcome.Expired, FlowErrors.InvalidLogoutVerifier);
        if (State != LogoutState.Accepted) return new(FlowOutcome.AlreadyHandled, FlowErrors.InvalidLogoutVerifier);
        State = LogoutState.Completed;
        return null;
    }
}
