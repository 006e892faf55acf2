using System.Text.Json.Serialization;
using Latchkey.OAuth2.Flows;

namespace Latchkey.OAuth2.Device;

/// <summary>
/// Where a device verification stands. Only <see cref="DeviceRequest"/>'s own methods move it; each arrow is one saved write:
/// <code>
///  /oauth2/device/verify ──► Requested ──AcceptUserCode──► UserCodeAccepted ──RedeemVerifier──► LoginStarted ──Complete──► Completed
///   (device_challenge)        (device app: PUT …/device/accept)   (browser: device_verifier)   (a LoginConsentFlow runs)  (consent_verifier)
/// </code>
/// Past <see cref="ExpiresAt"/> every step is refused.
/// </summary>
public enum DeviceRequestState
{
    Requested,
    UserCodeAccepted,
    LoginStarted,
    Completed,
}

/// <summary>
/// One visit to the verification endpoint on its way to approving a device, Hydra's device challenge (its
/// <c>flow.DeviceUserAuthRequest</c>): the project's device app receives the <see cref="Challenge"/>, sends the
/// user code the user typed, and the browser continues with a verifier into the usual login and consent
/// (<see cref="LoginConsentFlow.DeviceRequestId"/>). The challenge and verifier carry the id (primary-key reads);
/// the verifier is stored hashed and bound to the browser by <see cref="Csrf"/>. <see cref="ExpiresAt"/> is the
/// column a janitor prunes by.
/// </summary>
public sealed class DeviceRequest
{
    public Guid Id { get; init; }
    [JsonInclude] public DeviceRequestState State { get; private set; }
    public string Challenge { get; init; } = "";
    public string Csrf { get; init; } = "";
    [JsonInclude] public string? VerifierHash { get; private set; }

    /// <summary>The token entries of the user code that was accepted and of its device code.</summary>
    [JsonInclude] public Guid? UserCodeId { get; private set; }
    [JsonInclude] public Guid? DeviceCodeId { get; private set; }
    [JsonInclude] public string? ClientId { get; private set; }
    [JsonInclude] public List<string> RequestedScope { get; private set; } = [];
    [JsonInclude] public List<string> RequestedAudience { get; private set; } = [];
    [JsonInclude] public Guid? LoginConsentFlowId { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Marten's optimistic-concurrency version: each step is saved once.</summary>
    public Guid Version { get; set; }

    /// <summary>Whether the device app may act on the challenge.</summary>
    public FlowFailure? CheckChallenge(string? presented, DateTimeOffset now)
    {
        if (presented is null || !FlowSecrets.Matches(presented, Challenge)) return new(FlowOutcome.Unknown, DeviceErrors.UnknownChallenge);
        if (ExpiresAt <= now) return new(FlowOutcome.Expired, DeviceErrors.UnknownChallenge);
        return State == DeviceRequestState.Requested ? null : new(FlowOutcome.AlreadyHandled, DeviceErrors.AlreadyHandled);
    }

    /// <summary>The device app sent a user code that is valid (Hydra's <c>HandleDeviceUserAuthRequest</c>); returns the device verifier.</summary>
    public FlowResult<string> AcceptUserCode(string? challenge, UserCodeGrant grant, DateTimeOffset now)
    {
        if (CheckChallenge(challenge, now) is { } refused) return refused;
        var verifier = FlowSecrets.New(Id);
        State = DeviceRequestState.UserCodeAccepted;
        VerifierHash = FlowSecrets.Hash(verifier);
        (UserCodeId, DeviceCodeId, ClientId) = (grant.UserCodeId, grant.DeviceCodeId, grant.ClientId);
        (RequestedScope, RequestedAudience) = ([.. grant.Scope], [.. grant.Audience]);
        return verifier;
    }

    /// <summary>The browser is back with the device verifier: the login for <paramref name="loginFlowId"/> starts.</summary>
    public FlowFailure? RedeemVerifier(string verifier, string? csrf, Guid loginFlowId, DateTimeOffset now)
    {
        if (!FlowSecrets.Matches(FlowSecrets.Hash(verifier), VerifierHash) || csrf is null || !FlowSecrets.Matches(csrf, Csrf))
            return new(FlowOutcome.Unknown, DeviceErrors.InvalidVerifier);
        if (ExpiresAt <= now) return new(FlowOutcome.Expired, DeviceErrors.InvalidVerifier);
        if (State != DeviceRequestState.UserCodeAccepted) return new(FlowOutcome.AlreadyHandled, DeviceErrors.InvalidVerifier);
        State = DeviceRequestState.LoginStarted;
        LoginConsentFlowId = loginFlowId;
        return null;
    }

    /// <summary>The login and consent of <paramref name="flow"/> completed (or were rejected): this request is done.</summary>
    public FlowFailure? Complete(LoginConsentFlow flow)
    {
        if (State != DeviceRequestState.LoginStarted || LoginConsentFlowId != flow.Id) return new(FlowOutcome.AlreadyHandled, DeviceErrors.InvalidVerifier);
        State = DeviceRequestState.Completed;
        return null;
    }
}

/// <summary>What a valid user code grants: its token entries, the client that asked, and what it asked for.</summary>
public sealed record UserCodeGrant(Guid UserCodeId, Guid? DeviceCodeId, string ClientId, IReadOnlyList<string> Scope, IReadOnlyList<string> Audience);
