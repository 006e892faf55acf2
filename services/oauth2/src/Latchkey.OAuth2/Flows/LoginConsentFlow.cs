using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Where a login-and-consent flow stands. Only <see cref="LoginConsentFlow"/>'s own methods move it; each arrow is
/// one saved write, each challenge is answered once and each verifier redeemed once:
/// <code>
///  authorize ──► LoginRequested ──AcceptLogin──► LoginAccepted ──RedeemLoginVerifier──► ConsentRequested
///                    │  (SkipLogin: a remembered                                          │  (SkipConsent: a remembered
///                    │   login session, skip: true)                                       │   consent or skip_consent)
///                 RejectLogin                                                        AcceptConsent ──► ConsentAccepted
///                    │                                                                    │                   │
///                    ▼                                                               RejectConsent   RedeemConsentVerifier
///                 Rejected ◄──────────────────────────────────────────────────────────────┘                   ▼
///                    └─RedeemLoginVerifier / RedeemConsentVerifier (once): the client gets the error     Completed
/// </code>
/// Past <see cref="ExpiresAt"/> every step is refused. A rejection, too, goes back through the authorization
/// endpoint with a verifier (as in Hydra), so that the client gets the error in the response mode it asked for,
/// with <c>state</c> and <c>iss</c>. A <see cref="FlowState.Completed"/> flow is a consent session until revoked.
/// </summary>
public enum FlowState
{
    LoginRequested,
    LoginAccepted,
    ConsentRequested,
    ConsentAccepted,
    Completed,
    Rejected,
}

/// <summary>
/// One authorization request on its way through the project's login and consent apps, Hydra style (its
/// <c>flow/flow.go</c>): the document owns its transitions as guarded methods that return a value, never throw.
/// Challenges and verifiers carry the flow id, so every lookup is a primary-key read; verifiers are stored only
/// as hashes and are bound to the browser that started the flow by <see cref="Csrf"/>. What a step writes has a
/// private setter (read back by <see cref="JsonIncludeAttribute"/>), so nothing else can move the flow.
/// </summary>
public sealed class LoginConsentFlow
{
    /// <summary>
    /// The longest a login or consent may be remembered, as long as a project's longest TTL: a remembered
    /// login's expiry is computed from it, so it must stay a date.
    /// </summary>
    public const long MaxRememberForSeconds = 3650L * 24 * 3600;

    public Guid Id { get; init; }
    [JsonInclude] public FlowState State { get; private set; }
    public string Csrf { get; init; } = "";
    public string LoginChallenge { get; init; } = "";
    [JsonInclude] public string? LoginVerifierHash { get; private set; }
    [JsonInclude] public string? ConsentChallenge { get; private set; }
    [JsonInclude] public string? ConsentVerifierHash { get; private set; }

    public string ClientId { get; init; } = "";
    public string RequestUrl { get; init; } = "";
    public string RedirectUri { get; init; } = "";
    public string? OAuthState { get; init; }
    public List<string> RequestedScope { get; init; } = [];
    public List<string> RequestedAudience { get; init; } = [];
    /// <summary>The OpenID Connect <c>prompt</c> values the client sent (<c>consent</c> and <c>none</c> matter after login).</summary>
    public List<string> Prompt { get; init; } = [];
    /// <summary>Set when a device verification started this flow (<see cref="Device.DeviceRequest"/>): it returns to the verification endpoint, not to a redirect URI.</summary>
    public Guid? DeviceRequestId { get; init; }
    /// <summary>Hydra's <c>oidc_context</c>: acr_values, display, login_hint, ui_locales.</summary>
    public JsonObject? OidcContext { get; init; }

    /// <summary>The browser had a remembered login session for <see cref="Subject"/>: the login app should not ask again.</summary>
    [JsonInclude] public bool LoginSkip { get; private set; }

    [JsonInclude] public string? Subject { get; private set; }
    public string LoginSessionId { get; init; } = "";
    [JsonInclude] public bool LoginRemember { get; private set; }
    [JsonInclude] public long LoginRememberFor { get; private set; }
    [JsonInclude] public string? Acr { get; private set; }
    [JsonInclude] public List<string> Amr { get; private set; } = [];
    [JsonInclude] public JsonObject? Context { get; private set; }
    [JsonInclude] public DateTimeOffset? AuthenticatedAt { get; private set; }

    /// <summary>A remembered consent (or the client's <c>skip_consent</c>) covers this request: the consent app should not ask again.</summary>
    [JsonInclude] public bool ConsentSkip { get; private set; }

    [JsonInclude] public List<string> GrantedScope { get; private set; } = [];
    [JsonInclude] public List<string> GrantedAudience { get; private set; } = [];
    [JsonInclude] public JsonObject? AccessTokenClaims { get; private set; }
    [JsonInclude] public JsonObject? IdTokenClaims { get; private set; }
    [JsonInclude] public JsonObject? ConsentContext { get; private set; }
    [JsonInclude] public DateTimeOffset? ConsentHandledAt { get; private set; }
    /// <summary>A completed, remembered consent is a consent session: later requests it covers skip consent.</summary>
    [JsonInclude] public bool ConsentRemember { get; private set; }
    /// <summary>Seconds; 0 remembers until revoked.</summary>
    [JsonInclude] public long ConsentRememberFor { get; private set; }
    /// <summary>Set by revoking the consent session (<see cref="FlowStore.RevokeConsentsAsync"/>); tokens issued under it were revoked with it.</summary>
    [JsonInclude] public bool ConsentRevoked { get; private set; }

    /// <summary>Ends the consent session: it no longer lets later requests skip consent, nor lists as granted.</summary>
    public void RevokeConsent() => ConsentRevoked = true;

    /// <summary>The login or consent app's <c>error</c> and <c>error_description</c>, for a <see cref="FlowState.Rejected"/> flow.</summary>
    [JsonInclude] public string? RejectError { get; private set; }
    [JsonInclude] public string? RejectErrorDescription { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Marten's optimistic-concurrency version (see <c>OAuth2Schema</c>): each step is saved once.</summary>
    public Guid Version { get; set; }

    /// <summary>Whether this completed consent still covers a new request for these scopes and audiences.</summary>
    public bool Covers(IReadOnlyCollection<string> scopes, IReadOnlyCollection<string> audiences, DateTimeOffset now) =>
        State == FlowState.Completed && ConsentRemember && !ConsentRevoked
        // Compared as elapsed seconds, never as handled_at + remember_for: a stored remember_for too large for a
        // date (as accepted before it was capped) must mean "for a very long time", not a failed login.
        && (ConsentRememberFor == 0 || (ConsentHandledAt is { } handled && (now - handled).TotalSeconds < ConsentRememberFor))
        && scopes.All(GrantedScope.Contains) && audiences.All(GrantedAudience.Contains);

    /// <summary>
    /// A new flow whose browser has a remembered login: the login request is <c>skip: true</c> for that subject.
    /// Only the authorization endpoint calls it, before the flow is first saved; anything else is a bug, not a refusal.
    /// </summary>
    public void SkipLogin(string subject, DateTimeOffset authenticatedAt)
    {
        if (State != FlowState.LoginRequested || Subject is not null) throw new InvalidOperationException("Only a new login request can skip the login.");
        (LoginSkip, Subject, AuthenticatedAt) = (true, subject, authenticatedAt);
    }

    /// <summary>Whether the login app may read the login request (Hydra's <c>GetLoginRequest</c>).</summary>
    public FlowFailure? CheckLoginChallenge(string? challenge, DateTimeOffset now) =>
        CheckChallenge(challenge, LoginChallenge, FlowState.LoginRequested, FlowErrors.UnknownLoginChallenge, now);

    /// <summary>Whether the consent app may read the consent request (Hydra's <c>GetConsentRequest</c>).</summary>
    public FlowFailure? CheckConsentChallenge(string? challenge, DateTimeOffset now) =>
        CheckChallenge(challenge, ConsentChallenge, FlowState.ConsentRequested, FlowErrors.UnknownConsentChallenge, now);

    /// <summary>The login app authenticated the user (Hydra's <c>HandleLoginRequest</c>); returns the login verifier.</summary>
    public FlowResult<string> AcceptLogin(string? challenge, AcceptLoginJson body, DateTimeOffset now)
    {
        if (CheckLoginChallenge(challenge, now) is { } refused) return refused;
        if (string.IsNullOrWhiteSpace(body.Subject)) return Invalid(FlowErrors.SubjectEmpty);
        if (RememberForProblem(body.RememberFor) is { } rememberFor) return rememberFor;
        // A skipped login was already authenticated: the app may only confirm that user, as in Hydra.
        if (LoginSkip && body.Subject != Subject) return Invalid(FlowErrors.SubjectNotRemembered);

        var verifier = FlowSecrets.New(Id);
        State = FlowState.LoginAccepted;
        LoginVerifierHash = FlowSecrets.Hash(verifier);
        Subject = body.Subject;
        LoginRemember = body.Remember ?? false;
        LoginRememberFor = body.RememberFor ?? 0;
        Acr = body.Acr;
        Amr = body.Amr ?? [];
        Context = body.Context;
        if (!LoginSkip) AuthenticatedAt = now;
        return verifier;
    }

    /// <summary>The login app refused (Hydra's <c>HandleLoginRequest</c> with an error); returns the login verifier that delivers it.</summary>
    public FlowResult<string> RejectLogin(string? challenge, RejectJson body, DateTimeOffset now) =>
        CheckLoginChallenge(challenge, now) is { } refused ? refused : Reject(body, login: true);

    /// <summary>
    /// The browser is back with the login verifier (Hydra's <c>InvalidateLoginRequest</c>): the consent request
    /// starts; returns its challenge. For a rejected flow, the verifier delivers the app's error instead, once.
    /// </summary>
    public FlowResult<string> RedeemLoginVerifier(string verifier, string? clientId, string? csrf, DateTimeOffset now)
    {
        if (State == FlowState.Rejected) return RedeemRejection(verifier, LoginVerifierHash, clientId, csrf, now);
        if (CheckVerifier(verifier, LoginVerifierHash, FlowState.LoginAccepted, clientId, csrf, now) is { } refused) return refused;
        State = FlowState.ConsentRequested;
        ConsentChallenge = FlowSecrets.New(Id);
        return ConsentChallenge;
    }

    /// <summary>A remembered consent or the client's <c>skip_consent</c> covers the new consent request: <c>skip: true</c>.</summary>
    public FlowFailure? SkipConsent()
    {
        if (State != FlowState.ConsentRequested) return FlowFailure.Handled(RequestUrl, FlowErrors.AlreadyHandled);
        ConsentSkip = true;
        return null;
    }

    /// <summary>The consent app granted (Hydra's <c>HandleConsentRequest</c>); returns the consent verifier.</summary>
    /// <param name="clientAudience">The audiences the client may be granted; null when the client is gone.</param>
    public FlowResult<string> AcceptConsent(string? challenge, AcceptConsentJson body, IReadOnlyCollection<string>? clientAudience, DateTimeOffset now)
    {
        if (CheckConsentChallenge(challenge, now) is { } refused) return refused;
        var granted = body.GrantScope ?? [];
        if (granted.FirstOrDefault(s => !RequestedScope.Contains(s)) is { } scope) return Invalid(FlowErrors.ScopeNotRequested(scope));
        var audience = body.GrantAccessTokenAudience ?? [];
        if (audience.FirstOrDefault(a => clientAudience is null || !clientAudience.Contains(a)) is { } notAllowed) return Invalid(FlowErrors.AudienceNotAllowed(notAllowed));
        if (RememberForProblem(body.RememberFor) is { } rememberFor) return rememberFor;

        var verifier = FlowSecrets.New(Id);
        State = FlowState.ConsentAccepted;
        ConsentVerifierHash = FlowSecrets.Hash(verifier);
        GrantedScope = granted;
        GrantedAudience = audience;
        AccessTokenClaims = body.Session?.AccessToken;
        IdTokenClaims = body.Session?.IdToken;
        ConsentContext = body.Context;
        ConsentRemember = body.Remember ?? false;
        ConsentRememberFor = body.RememberFor ?? 0;
        ConsentHandledAt = now;
        return verifier;
    }

    /// <summary>The consent app refused; returns the consent verifier that delivers the error.</summary>
    public FlowResult<string> RejectConsent(string? challenge, RejectJson body, DateTimeOffset now) =>
        CheckConsentChallenge(challenge, now) is { } refused ? refused : Reject(body, login: false);

    /// <summary>
    /// The browser is back with the consent verifier (Hydra's <c>InvalidateConsentRequest</c>): the flow is complete
    /// and the user is signed in. For a rejected flow, the verifier delivers the app's error instead, once.
    /// </summary>
    public FlowFailure? RedeemConsentVerifier(string verifier, string? clientId, string? csrf, DateTimeOffset now)
    {
        if (State == FlowState.Rejected) return RedeemRejection(verifier, ConsentVerifierHash, clientId, csrf, now).Failure;
        if (CheckVerifier(verifier, ConsentVerifierHash, FlowState.ConsentAccepted, clientId, csrf, now) is { } refused) return refused;
        State = FlowState.Completed;
        return null;
    }

    FlowFailure? CheckChallenge(string? presented, string? expected, FlowState state, OAuth2Error unknown, DateTimeOffset now)
    {
        if (presented is null || !FlowSecrets.Matches(presented, expected)) return new(FlowOutcome.Unknown, unknown);
        if (ExpiresAt <= now) return new(FlowOutcome.Expired, unknown);
        return State == state ? null : FlowFailure.Handled(RequestUrl, FlowErrors.AlreadyHandled);
    }

    FlowFailure? CheckVerifier(string verifier, string? expectedHash, FlowState state, string? clientId, string? csrf, DateTimeOffset now)
    {
        if (!FlowSecrets.Matches(FlowSecrets.Hash(verifier), expectedHash) || ClientId != clientId || csrf is null || !FlowSecrets.Matches(csrf, Csrf))
            return new(FlowOutcome.Unknown, FlowErrors.InvalidVerifier);
        if (ExpiresAt <= now) return new(FlowOutcome.Expired, FlowErrors.InvalidVerifier);
        return State == state ? null : new(FlowOutcome.AlreadyHandled, FlowErrors.InvalidVerifier);
    }

    /// <summary>
    /// The flow stays Rejected (Completed would make it a consent session); forgetting the hashes makes the verifier
    /// single use. The refusal carries the app's error for the client.
    /// </summary>
    FlowResult<string> RedeemRejection(string verifier, string? expectedHash, string? clientId, string? csrf, DateTimeOffset now)
    {
        if (CheckVerifier(verifier, expectedHash, FlowState.Rejected, clientId, csrf, now) is { } refused) return refused;
        (LoginVerifierHash, ConsentVerifierHash) = (null, null);
        return new FlowFailure(FlowOutcome.Rejected, new(RejectError ?? "access_denied", RejectErrorDescription ?? "", 400));
    }

    /// <summary>The browser goes back to the client with the error (RFC 6749 §4.1.2.1), by way of the authorization endpoint.</summary>
    string Reject(RejectJson body, bool login)
    {
        var verifier = FlowSecrets.New(Id);
        if (login) LoginVerifierHash = FlowSecrets.Hash(verifier);
        else ConsentVerifierHash = FlowSecrets.Hash(verifier);
        State = FlowState.Rejected;
        RejectError = string.IsNullOrEmpty(body.Error) ? "access_denied" : body.Error;
        RejectErrorDescription = string.Join(' ', new[] { body.ErrorDescription ?? "The resource owner or authorization server denied the request.", body.ErrorHint }.Where(s => !string.IsNullOrEmpty(s)));
        return verifier;
    }

    static FlowFailure Invalid(OAuth2Error error) => new(FlowOutcome.Invalid, error);

    static FlowFailure? RememberForProblem(long? rememberFor) => rememberFor switch
    {
        < 0 => Invalid(FlowErrors.RememberForNegative),
        > MaxRememberForSeconds => Invalid(FlowErrors.RememberForTooLong),
        _ => null,
    };
}
