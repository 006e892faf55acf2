using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Storage;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Every step of the login, consent and logout flows that a caller can take: Hydra's admin API
/// (<see cref="FlowEndpoints"/>), the hosted pages, and the authorization and end-session endpoints. It loads the
/// flow, lets the flow's own method decide, and saves; it answers values, never HTTP, so each caller maps them
/// to its own answer. Saving checks the version: of two concurrent steps one wins, the other is a
/// <see cref="FlowOutcome.Conflict"/>.
/// </summary>
public sealed class FlowService(FlowStore flows, LoginSessions sessions, ClientStore clients, UnitOfWork work, IProjectContext project, TimeProvider clock)
{
    public async Task<FlowResult<LoginRequestJson>> GetLoginRequestAsync(string? challenge, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownLogin;
        if (flow.CheckLoginChallenge(challenge, clock.GetUtcNow()) is { } refused) return refused;
        var client = await clients.FindAsync(flow.ClientId, ct);
        return new LoginRequestJson(flow.LoginChallenge, flow.LoginSkip, flow.LoginSkip ? flow.Subject! : "", ClientJson.From(client!), flow.RequestUrl,
            flow.RequestedScope, flow.RequestedAudience, flow.LoginSessionId, flow.OidcContext ?? []);
    }

    /// <summary>Returns where the browser goes next: back to the authorization endpoint with the login verifier.</summary>
    public async Task<FlowResult<string>> AcceptLoginAsync(string? challenge, AcceptLoginJson body, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownLogin;
        if (flow.AcceptLogin(challenge, body, clock.GetUtcNow()).Failed(out var refused, out var verifier)) return refused;
        return await SaveAsync(flow, null, FlowErrors.HandledConcurrently, ct) ?? (FlowResult<string>)$"{flow.RequestUrl}&login_verifier={Uri.EscapeDataString(verifier)}";
    }

    public async Task<FlowResult<string>> RejectLoginAsync(string? challenge, RejectJson body, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownLogin;
        if (flow.RejectLogin(challenge, body, clock.GetUtcNow()).Failed(out var refused, out var verifier)) return refused;
        return await SaveAsync(flow, null, FlowErrors.HandledConcurrently, ct) ?? (FlowResult<string>)$"{flow.RequestUrl}&login_verifier={Uri.EscapeDataString(verifier)}";
    }

    public async Task<FlowResult<ConsentRequestJson>> GetConsentRequestAsync(string? challenge, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownConsent;
        if (flow.CheckConsentChallenge(challenge, clock.GetUtcNow()) is { } refused) return refused;
        return ConsentRequestJson.Of(flow, await clients.FindAsync(flow.ClientId, ct));
    }

    /// <summary>Returns where the browser goes next: back to the authorization endpoint with the consent verifier.</summary>
    public async Task<FlowResult<string>> AcceptConsentAsync(string? challenge, AcceptConsentJson body, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownConsent;
        var now = clock.GetUtcNow();
        var client = flow.CheckConsentChallenge(challenge, now) is null ? await clients.FindAsync(flow.ClientId, ct) : null;
        if (flow.AcceptConsent(challenge, body, client?.Audience, now).Failed(out var refused, out var verifier)) return refused;
        return await SaveAsync(flow, null, FlowErrors.HandledConcurrently, ct) ?? (FlowResult<string>)$"{flow.RequestUrl}&consent_verifier={Uri.EscapeDataString(verifier)}";
    }

    public async Task<FlowResult<string>> RejectConsentAsync(string? challenge, RejectJson body, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownConsent;
        if (flow.RejectConsent(challenge, body, clock.GetUtcNow()).Failed(out var refused, out var verifier)) return refused;
        return await SaveAsync(flow, null, FlowErrors.HandledConcurrently, ct) ?? (FlowResult<string>)$"{flow.RequestUrl}&consent_verifier={Uri.EscapeDataString(verifier)}";
    }

    /// <summary>Whether the browser holding this cookie value started the flow the challenge names (the one that signed in).</summary>
    public async Task<bool> StartedInAsync(string? challenge, string? csrf, CancellationToken ct) =>
        csrf is not null && await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is { } flow && FlowSecrets.Matches(csrf, flow.Csrf);

    /// <summary>
    /// The browser is back with a login verifier: the consent request starts, skipped when the client skips consent
    /// or a remembered consent covers the request (unless <c>prompt=consent</c>), and a remembered login becomes a
    /// login session. A verifier of a rejected flow is <see cref="FlowOutcome.Rejected"/>, with the app's error.
    /// </summary>
    public async Task<FlowResult<LoginRedeemed>> RedeemLoginVerifierAsync(string verifier, string? clientId, string? csrf, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(verifier), ct) is not { } flow) return InvalidVerifier;
        var now = clock.GetUtcNow();
        if (flow.RedeemLoginVerifier(verifier, clientId, csrf, now).Failed(out var refused, out var consentChallenge))
            return refused.Outcome == FlowOutcome.Rejected ? await SaveAsync(flow, null, FlowErrors.InvalidVerifier, ct) ?? refused : refused;

        LoginSession? remembered = null;
        string? cookie = null;
        if (!flow.LoginSkip && flow.LoginRemember)
        {
            var lifetime = flow.LoginRememberFor > 0 ? TimeSpan.FromSeconds(Math.Min(flow.LoginRememberFor, LoginConsentFlow.MaxRememberForSeconds)) : GoDuration.Parse(project.Project.OAuth2.Ttl.AuthenticationSession);
            (remembered, cookie) = sessions.Create(flow, now + lifetime);
        }
        if (!flow.Prompt.Contains(PromptValues.Consent) && await ConsentIsRememberedAsync(flow, ct)) flow.SkipConsent();
        if (!flow.ConsentSkip && flow.Prompt.Contains(PromptValues.None)) return new FlowFailure(FlowOutcome.Invalid, FlowErrors.ConsentRequired);

        if (await SaveAsync(flow, remembered, FlowErrors.InvalidVerifier, ct) is { } conflict) return conflict;
        return new LoginRedeemed(consentChallenge, cookie, flow.LoginRememberFor > 0 ? remembered?.ExpiresAt : null, ClearSessionCookie: cookie is null && !flow.LoginSkip);
    }

    async Task<bool> ConsentIsRememberedAsync(LoginConsentFlow flow, CancellationToken ct) =>
        (await clients.FindAsync(flow.ClientId, ct))?.SkipConsent == true
        || await flows.FindRememberedConsentAsync(flow.Subject!, flow.ClientId, flow.RequestedScope, flow.RequestedAudience, ct) is not null;

    /// <summary>
    /// The browser is back with a consent verifier: the flow is complete, written by <see cref="SignInWrites"/> together
    /// with the authorization and the code the caller signs in with. A rejected flow's verifier is saved here.
    /// </summary>
    public async Task<FlowResult<LoginConsentFlow>> RedeemConsentVerifierAsync(string verifier, string? clientId, string? csrf, CancellationToken ct)
    {
        if (await flows.FindAsync(FlowSecrets.FlowIdOf(verifier), ct) is not { } flow) return InvalidVerifier;
        if (flow.RedeemConsentVerifier(verifier, clientId, csrf, clock.GetUtcNow()) is { } refused)
            return refused.Outcome == FlowOutcome.Rejected ? await SaveAsync(flow, null, FlowErrors.InvalidVerifier, ct) ?? refused : refused;
        // Held: committed with the authorization and the code by SignInWrites, one write for this step.
        work.Hold();
        await flows.UpdateAsync(flow, ct);
        return flow;
    }

    public async Task<FlowResult<LogoutRequestJson>> GetLogoutRequestAsync(string? challenge, CancellationToken ct)
    {
        if (await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownLogout;
        if (flow.CheckChallenge(challenge, clock.GetUtcNow()) is { } refused) return refused;
        var client = flow.ClientId is null ? null : await clients.FindAsync(flow.ClientId, ct);
        return new LogoutRequestJson(flow.Challenge, flow.Subject, flow.Sid, client is null ? null : ClientJson.From(client),
            flow.RequestUrl, flow.RpInitiated, flow.RequestedAt, flow.ExpiresAt);
    }

    /// <summary>Whether the browser holding this cookie value started the logout the challenge names.</summary>
    public async Task<bool> LogoutStartedInAsync(string? challenge, string? csrf, CancellationToken ct) =>
        csrf is not null && await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(challenge), ct) is { } flow && FlowSecrets.Matches(csrf, flow.Csrf);

    /// <summary>Returns where the browser goes next: the end-session endpoint with the logout verifier.</summary>
    public async Task<FlowResult<string>> AcceptLogoutAsync(string? challenge, CancellationToken ct)
    {
        if (await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownLogout;
        if (flow.Accept(challenge, clock.GetUtcNow()).Failed(out var refused, out var verifier)) return refused;
        return await SaveAsync(flow, FlowErrors.HandledConcurrently, ct) ?? (FlowResult<string>)$"{project.Issuer}/oauth2/sessions/logout?logout_verifier={Uri.EscapeDataString(verifier)}";
    }

    public async Task<FlowFailure?> RejectLogoutAsync(string? challenge, CancellationToken ct)
    {
        if (await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } flow) return UnknownLogout;
        return flow.Reject(challenge, clock.GetUtcNow()) ?? await SaveAsync(flow, FlowErrors.HandledConcurrently, ct);
    }

    /// <summary>The browser is back with the logout verifier: the flow completes and its login session ends with it.</summary>
    public async Task<FlowResult<LogoutFlow>> CompleteLogoutAsync(string verifier, string? csrf, CancellationToken ct)
    {
        if (await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(verifier), ct) is not { } flow) return new FlowFailure(FlowOutcome.Unknown, FlowErrors.InvalidLogoutVerifier);
        if (flow.Complete(verifier, csrf, clock.GetUtcNow()) is { } refused) return refused;
        return await SaveAsync(flow, FlowErrors.InvalidLogoutVerifier, ct) is { } conflict ? conflict : flow;
    }

    static readonly FlowFailure UnknownLogin = new(FlowOutcome.Unknown, FlowErrors.UnknownLoginChallenge);
    static readonly FlowFailure UnknownConsent = new(FlowOutcome.Unknown, FlowErrors.UnknownConsentChallenge);
    static readonly FlowFailure UnknownLogout = new(FlowOutcome.Unknown, FlowErrors.UnknownLogoutChallenge);
    static readonly FlowFailure InvalidVerifier = new(FlowOutcome.Unknown, FlowErrors.InvalidVerifier);

    /// <param name="onConflict">What the caller answers when another request took the step first.</param>
    async Task<FlowFailure?> SaveAsync(LoginConsentFlow flow, LoginSession? remembered, OAuth2Error onConflict, CancellationToken ct)
    {
        try
        {
            await flows.UpdateAsync(flow, ct, remembered);
            return null;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return new FlowFailure(FlowOutcome.Conflict, onConflict);
        }
    }

    async Task<FlowFailure?> SaveAsync(LogoutFlow flow, OAuth2Error onConflict, CancellationToken ct)
    {
        try
        {
            await flows.UpdateAsync(flow, ct);
            return null;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return new FlowFailure(FlowOutcome.Conflict, onConflict);
        }
    }
}
