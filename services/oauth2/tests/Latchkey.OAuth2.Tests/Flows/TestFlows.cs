using Latchkey.OAuth2.Flows;

namespace Latchkey.OAuth2.Tests.Flows;

/// <summary>Flows in a chosen state, reached only through their own transitions, as the service would.</summary>
public static class TestFlows
{
    public const string ClientId = "web";
    public const string Csrf = "csrf-of-the-browser";
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    public static LoginConsentFlow Requested(DateTimeOffset now, Guid? id = null, string clientId = ClientId, string loginSessionId = "session-1")
    {
        var flowId = id ?? Guid.NewGuid();
        return new LoginConsentFlow
        {
            Id = flowId,
            LoginChallenge = FlowSecrets.New(flowId),
            Csrf = Csrf,
            ClientId = clientId,
            RequestUrl = $"https://p.example/oauth2/auth?client_id={clientId}",
            RequestedScope = ["openid", "offline"],
            RequestedAudience = ["api"],
            LoginSessionId = loginSessionId,
            CreatedAt = now,
            ExpiresAt = now + Ttl,
        };
    }

    public static (LoginConsentFlow Flow, string Verifier) LoginAccepted(DateTimeOffset now, AcceptLoginJson? body = null) =>
        AcceptLogin(Requested(now), now, body);

    public static (LoginConsentFlow Flow, string Verifier) AcceptLogin(LoginConsentFlow flow, DateTimeOffset now, AcceptLoginJson? body = null)
    {
        flow.AcceptLogin(flow.LoginChallenge, body ?? new AcceptLoginJson("alice", null, null, null, null, null), now).Failed(out _, out var verifier);
        return (flow, verifier!);
    }

    public static LoginConsentFlow ConsentRequested(DateTimeOffset now) => RequestConsent(Requested(now), now);

    public static LoginConsentFlow RequestConsent(LoginConsentFlow flow, DateTimeOffset now)
    {
        var (_, verifier) = AcceptLogin(flow, now);
        flow.RedeemLoginVerifier(verifier, flow.ClientId, Csrf, now);
        return flow;
    }

    public static (LoginConsentFlow Flow, string Verifier) ConsentAccepted(DateTimeOffset now, bool remember = false, long rememberFor = 0) =>
        AcceptConsent(ConsentRequested(now), now, remember, rememberFor);

    public static (LoginConsentFlow Flow, string Verifier) AcceptConsent(LoginConsentFlow flow, DateTimeOffset now, bool remember = false, long rememberFor = 0)
    {
        flow.AcceptConsent(flow.ConsentChallenge, new AcceptConsentJson(["openid"], ["api"], remember, rememberFor, null, null), ["api"], now)
            .Failed(out _, out var verifier);
        return (flow, verifier!);
    }

    public static LoginConsentFlow Completed(DateTimeOffset now, bool remember = true, long rememberFor = 0) =>
        Complete(Requested(now), now, remember, rememberFor);

    /// <summary>Takes a requested flow through login and consent to a completed consent session.</summary>
    public static LoginConsentFlow Complete(LoginConsentFlow requested, DateTimeOffset now, bool remember = true, long rememberFor = 0)
    {
        var (flow, verifier) = AcceptConsent(RequestConsent(requested, now), now, remember, rememberFor);
        flow.RedeemConsentVerifier(verifier, flow.ClientId, Csrf, now);
        return flow;
    }

    /// <summary>A logout whose challenge was accepted and whose verifier was redeemed.</summary>
    public static LogoutFlow CompleteLogout(LogoutFlow logout, DateTimeOffset now)
    {
        logout.Accept(logout.Challenge, now).Failed(out _, out var verifier);
        logout.Complete(verifier!, Csrf, now);
        return logout;
    }

    public static LogoutFlow Logout(DateTimeOffset now, Guid? logoutId = null, string sid = "session-1")
    {
        var id = logoutId ?? Guid.NewGuid();
        return new LogoutFlow
        {
            Id = id,
            Challenge = FlowSecrets.New(id),
            Csrf = Csrf,
            Subject = "alice",
            Sid = sid,
            RequestUrl = "https://p.example/oauth2/sessions/logout",
            RequestedAt = now,
            ExpiresAt = now + Ttl,
        };
    }
}
