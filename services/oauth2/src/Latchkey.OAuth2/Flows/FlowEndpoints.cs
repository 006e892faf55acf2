using Latchkey.OAuth2.Clients;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Hydra's login and consent admin API: the project's login and consent apps read a request by its
/// challenge and accept or reject it; the answer says where to send the browser next.
/// </summary>
public static class FlowEndpoints
{
    public static RouteGroupBuilder MapFlows(this RouteGroupBuilder admin)
    {
        var requests = admin.MapGroup("/oauth2/auth/requests");
        requests.MapGet("/login", GetLogin);
        requests.MapPut("/login/accept", AcceptLogin);
        requests.MapPut("/login/reject", RejectLogin);
        requests.MapGet("/consent", GetConsent);
        requests.MapPut("/consent/accept", AcceptConsent);
        requests.MapPut("/consent/reject", RejectConsent);
        requests.MapGet("/logout", GetLogout);
        requests.MapPut("/logout/accept", AcceptLogout);
        requests.MapPut("/logout/reject", RejectLogout);
        return requests;
    }

    static IResult NotFound(string what) => OAuth2Error.NotFound($"The {what} challenge is unknown or has expired.").ToResult();

    /// <summary>
    /// The longest a login or consent may be remembered, as long as a project's longest TTL: a remembered
    /// login's expiry is computed from it, so it must stay a date.
    /// </summary>
    public const long MaxRememberForSeconds = 3650L * 24 * 3600;

    static IResult? RememberForProblem(long? rememberFor) => rememberFor switch
    {
        < 0 => OAuth2Error.InvalidRequest("Field 'remember_for' must not be negative.").ToResult(),
        > MaxRememberForSeconds => OAuth2Error.InvalidRequest($"Field 'remember_for' must be at most {MaxRememberForSeconds} seconds (ten years); 0 remembers until revoked.").ToResult(),
        _ => null,
    };

    /// <summary>Hydra answers 410 for a request that was already handled, with where the browser should go.</summary>
    static IResult Handled(string requestUrl) => Results.Json(new RedirectJson(requestUrl), statusCode: 410);

    static async Task<LoginConsentFlow?> FindAsync(string? challenge, Func<LoginConsentFlow, string?> field, FlowStore flows, CancellationToken ct)
    {
        var flow = await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct);
        return flow is not null && challenge is not null && FlowSecrets.Matches(challenge, field(flow)) && flow.ExpiresAt > DateTimeOffset.UtcNow ? flow : null;
    }

    internal static async Task<IResult> GetLogin(string? login_challenge, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindAsync(login_challenge, f => f.LoginChallenge, flows, ct) is not { } flow) return NotFound("login");
        if (flow.State != FlowState.LoginRequested) return Handled(flow.RequestUrl);
        var client = await clients.FindAsync(flow.ClientId, ct);
        return Results.Json(new LoginRequestJson(flow.LoginChallenge, flow.LoginSkip, flow.LoginSkip ? flow.Subject! : "", ClientJson.From(client!), flow.RequestUrl,
            flow.RequestedScope, flow.RequestedAudience, flow.LoginSessionId, flow.OidcContext ?? []));
    }

    internal static async Task<IResult> AcceptLogin(string? login_challenge, AcceptLoginJson body, FlowStore flows, CancellationToken ct)
    {
        if (await FindAsync(login_challenge, f => f.LoginChallenge, flows, ct) is not { } flow) return NotFound("login");
        if (flow.State != FlowState.LoginRequested) return Handled(flow.RequestUrl);
        if (string.IsNullOrWhiteSpace(body.Subject)) return OAuth2Error.InvalidRequest("Field 'subject' must not be empty.").ToResult();
        if (RememberForProblem(body.RememberFor) is { } rememberFor) return rememberFor;
        // A skipped login was already authenticated: the app may only confirm that user, as in Hydra.
        if (flow.LoginSkip && body.Subject != flow.Subject)
            return OAuth2Error.InvalidRequest("Field 'subject' does not match the subject of the remembered login session.").ToResult();

        var verifier = FlowSecrets.New(flow.Id);
        flow.State = FlowState.LoginAccepted;
        flow.LoginVerifierHash = FlowSecrets.Hash(verifier);
        flow.Subject = body.Subject;
        flow.LoginRemember = body.Remember ?? false;
        flow.LoginRememberFor = body.RememberFor ?? 0;
        flow.Acr = body.Acr;
        flow.Amr = body.Amr ?? [];
        flow.Context = body.Context;
        if (!flow.LoginSkip) flow.AuthenticatedAt = DateTimeOffset.UtcNow;
        return await SaveAsync(flow, flows, $"{flow.RequestUrl}&login_verifier={Uri.EscapeDataString(verifier)}", ct);
    }

    internal static async Task<IResult> RejectLogin(string? login_challenge, RejectJson body, FlowStore flows, CancellationToken ct)
    {
        if (await FindAsync(login_challenge, f => f.LoginChallenge, flows, ct) is not { } flow) return NotFound("login");
        if (flow.State != FlowState.LoginRequested) return Handled(flow.RequestUrl);
        return await RejectAsync(flow, body, "login_verifier", flows, ct);
    }

    internal static async Task<IResult> GetConsent(string? consent_challenge, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindAsync(consent_challenge, f => f.ConsentChallenge, flows, ct) is not { } flow) return NotFound("consent");
        if (flow.State != FlowState.ConsentRequested) return Handled(flow.RequestUrl);
        var client = await clients.FindAsync(flow.ClientId, ct);
        return Results.Json(ConsentRequestOf(flow, client));
    }

    internal static ConsentRequestJson ConsentRequestOf(LoginConsentFlow flow, StoredClient? client) =>
        new(flow.ConsentChallenge!, flow.Id.ToString(), flow.Subject, client is null ? new ClientJson { ClientId = flow.ClientId } : ClientJson.From(client),
            flow.ConsentSkip, flow.RequestUrl, flow.RequestedScope, flow.RequestedAudience, flow.LoginChallenge, flow.LoginSessionId,
            flow.Acr, flow.Amr, flow.Context, flow.OidcContext ?? []);

    internal static async Task<IResult> AcceptConsent(string? consent_challenge, AcceptConsentJson body, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindAsync(consent_challenge, f => f.ConsentChallenge, flows, ct) is not { } flow) return NotFound("consent");
        if (flow.State != FlowState.ConsentRequested) return Handled(flow.RequestUrl);

        var granted = body.GrantScope ?? [];
        if (granted.FirstOrDefault(s => !flow.RequestedScope.Contains(s)) is { } scope)
            return OAuth2Error.InvalidRequest($"Scope '{scope}' was not requested and cannot be granted.").ToResult();
        var client = await clients.FindAsync(flow.ClientId, ct);
        var audience = body.GrantAccessTokenAudience ?? [];
        if (audience.FirstOrDefault(a => client is null || !client.Audience.Contains(a)) is { } notAllowed)
            return OAuth2Error.InvalidRequest($"Audience '{notAllowed}' is not allowed for this client.").ToResult();
        if (RememberForProblem(body.RememberFor) is { } rememberFor) return rememberFor;

        var verifier = FlowSecrets.New(flow.Id);
        flow.State = FlowState.ConsentAccepted;
        flow.ConsentVerifierHash = FlowSecrets.Hash(verifier);
        flow.GrantedScope = granted;
        flow.GrantedAudience = audience;
        flow.AccessTokenClaims = body.Session?.AccessToken;
        flow.IdTokenClaims = body.Session?.IdToken;
        flow.ConsentContext = body.Context;
        flow.ConsentRemember = body.Remember ?? false;
        flow.ConsentRememberFor = body.RememberFor ?? 0;
        flow.ConsentHandledAt = DateTimeOffset.UtcNow;
        return await SaveAsync(flow, flows, $"{flow.RequestUrl}&consent_verifier={Uri.EscapeDataString(verifier)}", ct);
    }

    internal static async Task<IResult> RejectConsent(string? consent_challenge, RejectJson body, FlowStore flows, CancellationToken ct)
    {
        if (await FindAsync(consent_challenge, f => f.ConsentChallenge, flows, ct) is not { } flow) return NotFound("consent");
        if (flow.State != FlowState.ConsentRequested) return Handled(flow.RequestUrl);
        return await RejectAsync(flow, body, "consent_verifier", flows, ct);
    }

    /// <summary>
    /// The browser goes back to the client with the error (RFC 6749 §4.1.2.1), by way of the authorization endpoint
    /// as in Hydra: only there is the response written in the client's response mode, with <c>state</c> and the
    /// RFC 9207 <c>iss</c>.
    /// </summary>
    static Task<IResult> RejectAsync(LoginConsentFlow flow, RejectJson body, string verifierParameter, FlowStore flows, CancellationToken ct)
    {
        var verifier = FlowSecrets.New(flow.Id);
        if (verifierParameter == "login_verifier") flow.LoginVerifierHash = FlowSecrets.Hash(verifier);
        else flow.ConsentVerifierHash = FlowSecrets.Hash(verifier);
        flow.State = FlowState.Rejected;
        flow.RejectError = string.IsNullOrEmpty(body.Error) ? "access_denied" : body.Error;
        flow.RejectErrorDescription = string.Join(' ', new[] { body.ErrorDescription ?? "The resource owner or authorization server denied the request.", body.ErrorHint }.Where(s => !string.IsNullOrEmpty(s)));
        return SaveAsync(flow, flows, $"{flow.RequestUrl}&{verifierParameter}={Uri.EscapeDataString(verifier)}", ct);
    }

    static async Task<LogoutFlow?> FindLogoutAsync(string? challenge, FlowStore flows, CancellationToken ct)
    {
        var flow = await flows.FindLogoutAsync(FlowSecrets.FlowIdOf(challenge), ct);
        return flow is not null && challenge is not null && FlowSecrets.Matches(challenge, flow.Challenge) && flow.ExpiresAt > DateTimeOffset.UtcNow ? flow : null;
    }

    internal static async Task<IResult> GetLogout(string? logout_challenge, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindLogoutAsync(logout_challenge, flows, ct) is not { } flow) return NotFound("logout");
        if (flow.State != LogoutState.Requested) return Handled(flow.RequestUrl);
        var client = flow.ClientId is null ? null : await clients.FindAsync(flow.ClientId, ct);
        return Results.Json(new LogoutRequestJson(flow.Challenge, flow.Subject, flow.Sid, client is null ? null : ClientJson.From(client),
            flow.RequestUrl, flow.RpInitiated, flow.RequestedAt, flow.ExpiresAt));
    }

    internal static async Task<IResult> AcceptLogout(string? logout_challenge, FlowStore flows, IProjectContext project, CancellationToken ct)
    {
        if (await FindLogoutAsync(logout_challenge, flows, ct) is not { } flow) return NotFound("logout");
        if (flow.State != LogoutState.Requested) return Handled(flow.RequestUrl);
        var verifier = FlowSecrets.New(flow.Id);
        flow.State = LogoutState.Accepted;
        flow.VerifierHash = FlowSecrets.Hash(verifier);
        if (await TrySaveAsync(flow, flows, ct) is { } conflict) return conflict;
        return Results.Json(new RedirectJson($"{project.Issuer}/oauth2/sessions/logout?logout_verifier={Uri.EscapeDataString(verifier)}"));
    }

    /// <summary>The user stays signed in; as in Hydra, the logout app decides where the browser goes.</summary>
    internal static async Task<IResult> RejectLogout(string? logout_challenge, FlowStore flows, CancellationToken ct)
    {
        if (await FindLogoutAsync(logout_challenge, flows, ct) is not { } flow) return NotFound("logout");
        if (flow.State != LogoutState.Requested) return Handled(flow.RequestUrl);
        flow.State = LogoutState.Rejected;
        return await TrySaveAsync(flow, flows, ct) ?? Results.NoContent();
    }

    static async Task<IResult?> TrySaveAsync(LogoutFlow flow, FlowStore flows, CancellationToken ct)
    {
        try
        {
            await flows.UpdateAsync(flow, ct);
            return null;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return OAuth2Error.Conflict("The request was handled concurrently.").ToResult();
        }
    }

    static async Task<IResult> SaveAsync(LoginConsentFlow flow, FlowStore flows, string redirectTo, CancellationToken ct)
    {
        try
        {
            await flows.UpdateAsync(flow, ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return OAuth2Error.Conflict("The request was handled concurrently.").ToResult();
        }
        return Results.Json(new RedirectJson(redirectTo));
    }
}
