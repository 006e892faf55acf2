namespace Latchkey.OAuth2.Flows;

/// <summary>
/// A redeemed login verifier: the consent request's challenge, and what becomes of the browser's login-session
/// cookie (a new remembered session, cleared, or, for a skipped login, left as it is).
/// </summary>
/// <param name="SessionCookieExpires">Null for a cookie that ends with the browser session (Hydra's <c>remember_for: 0</c>).</param>
public sealed record LoginRedeemed(string ConsentChallenge, string? SessionCookie, DateTimeOffset? SessionCookieExpires, bool ClearSessionCookie);
