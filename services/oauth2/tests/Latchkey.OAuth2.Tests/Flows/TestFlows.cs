using Latchkey.OAuth2.Flows;

namespace Latchkey.OAuth2.Tests.Flows;

/// <summary>Flows in a chosen state, reached only through their own transitions, as the service would.</summary>
static class TestFlows
{
    public const string ClientId = "web";
    public const string Csrf = "csrf-of-the-browser";
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(30);

    public static LoginConsentFlow Requested(DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        return new LoginConsentFlow
        {
            Id = id,
            LoginChallenge = FlowSecrets.New(id),
            Csrf = Csrf,
            ClientId = ClientId,
            RequestUrl = "https://p.example/oauth2/auth?client_id=web",
            RequestedScope = ["openid", "offline"],
            RequestedAudience = ["api"],
            LoginSessionId = "session-1",
            CreatedAt = now,
            ExpiresAt = now + Ttl,
        };
    }

    public static (LoginConsentFlow Flow, string Verifier) LoginAccepted(DateTimeOffset now, AcceptLoginJson? body = null)
    {
        var flow = Requested(now);
        flow.AcceptLogin(flow.LoginChallenge, body ?? new AcceptLoginJson("alice", null, null, null, null, null), now).Failed(out _, out var verifier);
        return (flow, verifier!);
    }

    public static LoginConsentFlow ConsentRequested(DateTimeOffset now)
    {
        var (flow, verifier) = LoginAccepted(now);
        flow.RedeemLoginVerifier(verifier, ClientId, Csrf, now);
        return flow;
    }

    public static (LoginConsentFlow Flow, string Verifier) ConsentAccepted(DateTimeOffset now, bool remember = false, long rememberFor = 0)
    {
        var flow = ConsentRequested(now);
        flow.AcceptConsent(flow.ConsentChallenge, new AcceptConsentJson(["openid"], ["api"], remember, rememberFor, null, null), ["api"], now)
            .Failed(out _, out var verifier);
        return (flow, verifier!);
    }

    public static LoginConsentFlow Completed(DateTimeOffset now, bool remember = true, long rememberFor = 0)
    {
        var (flow, verifier) = ConsentAccepted(now, remember, rememberFor);
        flow.RedeemConsentVerifier(verifier, ClientId, Csrf, now);
        return flow;
    }

    public static LogoutFlow Logout(DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        return new LogoutFlow
        {
            Id = id,
            Challenge = FlowSecrets.New(id),
            Csrf = Csrf,
            Subject = "alice",
            Sid = "session-1",
            RequestUrl = "https://p.example/oauth2/sessions/logout",
            RequestedAt = now,
            ExpiresAt = now + Ttl,
        };
    }
}
