namespace Latchkey.OAuth2.Flows;

/// <summary>Why a flow step was refused. Each caller maps it to its own answer (admin JSON, a hosted page, an OAuth2 error).</summary>
public enum FlowOutcome
{
    /// <summary>No flow for the challenge or verifier, or it does not match (another flow, client or browser).</summary>
    Unknown,
    /// <summary>The flow outlived <c>ttl.login_consent_request</c>.</summary>
    Expired,
    /// <summary>The step was already taken; Hydra sends the browser back to the request URL (410).</summary>
    AlreadyHandled,
    /// <summary>The step breaks a rule; the failure's error names it.</summary>
    Invalid,
    /// <summary>Another request took the step at the same time, and won.</summary>
    Conflict,
    /// <summary>The verifier was good and redeemed a rejection: the client gets the login or consent app's error.</summary>
    Rejected,
}
