using System.Text.Json.Nodes;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Where a login-and-consent flow stands. Each arrow is one write, and each verifier is accepted once:
/// <code>
/// LoginRequested ─accept→ LoginAccepted ─login_verifier→ ConsentRequested ─accept→ ConsentAccepted ─consent_verifier→ Completed
///       └─reject→ Rejected                                       └─reject→ Rejected
/// </code>
/// A rejection, too, goes back through the authorization endpoint with a verifier (as in Hydra), so that the
/// client gets the error in the response mode it asked for, with <c>state</c> and <c>iss</c>.
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
/// One authorization request on its way through the project's login and consent apps, Hydra style.
/// Challenges and verifiers carry the flow id, so every lookup is a primary-key read; verifiers are
/// stored only as hashes and are bound to the browser that started the flow by <see cref="Csrf"/>.
/// </summary>
public sealed class LoginConsentFlow
{
    public Guid Id { get; set; }
    public FlowState State { get; set; }
    public string Csrf { get; set; } = "";
    public string LoginChallenge { get; set; } = "";
    public string? LoginVerifierHash { get; set; }
    public string? ConsentChallenge { get; set; }
    public string? ConsentVerifierHash { get; set; }

    public string ClientId { get; set; } = "";
    public string RequestUrl { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string? OAuthState { get; set; }
    public List<string> RequestedScope { get; set; } = [];
    public List<string> RequestedAudience { get; set; } = [];
    /// <summary>The OpenID Connect <c>prompt</c> values the client sent (<c>consent</c> and <c>none</c> matter after login).</summary>
    public List<string> Prompt { get; set; } = [];
    /// <summary>Hydra's <c>oidc_context</c>: acr_values, display, login_hint, ui_locales.</summary>
    public JsonObject? OidcContext { get; set; }

    /// <summary>The browser had a remembered login session for <see cref="Subject"/>: the login app should not ask again.</summary>
    public bool LoginSkip { get; set; }

    public string? Subject { get; set; }
    public string LoginSessionId { get; set; } = "";
    public bool LoginRemember { get; set; }
    public long LoginRememberFor { get; set; }
    public string? Acr { get; set; }
    public List<string> Amr { get; set; } = [];
    public JsonObject? Context { get; set; }
    public DateTimeOffset? AuthenticatedAt { get; set; }

    /// <summary>A remembered consent (or the client's <c>skip_consent</c>) covers this request: the consent app should not ask again.</summary>
    public bool ConsentSkip { get; set; }

    public List<string> GrantedScope { get; set; } = [];
    public List<string> GrantedAudience { get; set; } = [];
    public JsonObject? AccessTokenClaims { get; set; }
    public JsonObject? IdTokenClaims { get; set; }
    public JsonObject? ConsentContext { get; set; }
    public DateTimeOffset? ConsentHandledAt { get; set; }
    /// <summary>A completed, remembered consent is a consent session: later requests it covers skip consent.</summary>
    public bool ConsentRemember { get; set; }
    /// <summary>Seconds; 0 remembers until revoked.</summary>
    public long ConsentRememberFor { get; set; }
    /// <summary>Set by revoking the consent session; tokens issued under it were revoked with it.</summary>
    public bool ConsentRevoked { get; set; }

    /// <summary>The login or consent app's <c>error</c> and <c>error_description</c>, for a <see cref="FlowState.Rejected"/> flow.</summary>
    public string? RejectError { get; set; }
    public string? RejectErrorDescription { get; set; }

    /// <summary>Whether this completed consent still covers a new request for these scopes and audiences.</summary>
    public bool Covers(IReadOnlyCollection<string> scopes, IReadOnlyCollection<string> audiences, DateTimeOffset now) =>
        State == FlowState.Completed && ConsentRemember && !ConsentRevoked
        // Compared as elapsed seconds, never as handled_at + remember_for: a stored remember_for too large for a
        // date (as accepted before it was capped) must mean "for a very long time", not a failed login.
        && (ConsentRememberFor == 0 || (ConsentHandledAt is { } handled && (now - handled).TotalSeconds < ConsentRememberFor))
        && scopes.All(GrantedScope.Contains) && audiences.All(GrantedAudience.Contains);

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Marten's optimistic-concurrency version (see <c>OAuth2Schema</c>): each step is saved once.</summary>
    public Guid Version { get; set; }
}
