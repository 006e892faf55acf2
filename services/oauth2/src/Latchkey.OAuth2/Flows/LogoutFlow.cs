namespace Latchkey.OAuth2.Flows;

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
    public Guid Id { get; set; }
    public LogoutState State { get; set; }
    public string Csrf { get; set; } = "";
    public string Challenge { get; set; } = "";
    public string? VerifierHash { get; set; }

    public string Subject { get; set; } = "";
    public string Sid { get; set; } = "";
    public string? ClientId { get; set; }
    public string RequestUrl { get; set; } = "";
    public bool RpInitiated { get; set; }
    public string? PostLogoutRedirectUri { get; set; }
    public string? OAuthState { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Marten's optimistic-concurrency version (see <c>OAuth2Schema</c>): each step is saved once.</summary>
    public Guid Version { get; set; }
}
