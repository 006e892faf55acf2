using System.Text.Json.Nodes;
using Marten.Schema;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Where a login-and-consent flow stands. Each arrow is one write, and each verifier is accepted once:
/// <code>
/// LoginRequested ─accept→ LoginAccepted ─login_verifier→ ConsentRequested ─accept→ ConsentAccepted ─consent_verifier→ Completed
///       └─reject→ Rejected                                       └─reject→ Rejected
/// </code>
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
[UseOptimisticConcurrency]
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

    public string? Subject { get; set; }
    public string LoginSessionId { get; set; } = "";
    public bool Remember { get; set; }
    public long RememberFor { get; set; }
    public string? Acr { get; set; }
    public List<string> Amr { get; set; } = [];
    public JsonObject? Context { get; set; }
    public DateTimeOffset? AuthenticatedAt { get; set; }

    public List<string> GrantedScope { get; set; } = [];
    public List<string> GrantedAudience { get; set; } = [];
    public JsonObject? AccessTokenClaims { get; set; }
    public JsonObject? IdTokenClaims { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    [Version]
    public Guid Version { get; set; }
}
