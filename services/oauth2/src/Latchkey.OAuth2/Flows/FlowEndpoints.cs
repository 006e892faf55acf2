using Latchkey.OAuth2.Clients;
using Latchkey.ServiceDefaults;

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
        return requests;
    }

    static IResult NotFound(string what) => OryError.NotFound($"The {what} challenge is unknown or has expired.").ToResult();

    /// <summary>Hydra answers 410 for a request that was already handled, with where the browser should go.</summary>
    static IResult Handled(LoginConsentFlow flow) => Results.Json(new RedirectJson(flow.RequestUrl), statusCode: 410);

    static async Task<LoginConsentFlow?> FindAsync(string? challenge, Func<LoginConsentFlow, string?> field, FlowStore flows, CancellationToken ct)
    {
        var flow = await flows.FindAsync(FlowSecrets.FlowIdOf(challenge), ct);
        return flow is not null && challenge is not null && FlowSecrets.Matches(challenge, field(flow)) && flow.ExpiresAt > DateTimeOffset.UtcNow ? flow : null;
    }

    internal static async Task<IResult> GetLogin(string? login_challenge, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindAsync(login_challenge, f => f.LoginChallenge, flows, ct) is not { } flow) return NotFound("login");
        if (flow.State != FlowState.LoginRequested) return Handled(flow);
        var client = await clients.FindAsync(flow.ClientId, ct);
        return Results.Json(new LoginRequestJson(flow.LoginChallenge, false, "", ClientJson.From(client!), flow.RequestUrl,
            flow.RequestedScope, flow.RequestedAudience, flow.LoginSessionId, []));
    }

    internal static async Task<IResult> AcceptLogin(string? login_challenge, AcceptLoginJson body, FlowStore flows, CancellationToken ct)
    {
        if (await FindAsync(login_challenge, f => f.LoginChallenge, flows, ct) is not { } flow) return NotFound("login");
        if (flow.State != FlowState.LoginRequested) return Handled(flow);
        if (string.IsNullOrWhiteSpace(body.Subject)) return OryError.BadRequest("Field 'subject' must not be empty.").ToResult();

        var verifier = FlowSecrets.New(flow.Id);
        flow.State = FlowState.LoginAccepted;
        flow.LoginVerifierHash = FlowSecrets.Hash(verifier);
        flow.Subject = body.Subject;
        flow.Remember = body.Remember ?? false;
        flow.RememberFor = body.RememberFor ?? 0;
        flow.Acr = body.Acr;
        flow.Amr = body.Amr ?? [];
        flow.Context = body.Context;
        flow.AuthenticatedAt = DateTimeOffset.UtcNow;
        return await SaveAsync(flow, flows, $"{flow.RequestUrl}&login_verifier={Uri.EscapeDataString(verifier)}", ct);
    }

    internal static async Task<IResult> RejectLogin(string? login_challenge, RejectJson body, FlowStore flows, CancellationToken ct)
    {
        if (await FindAsync(login_challenge, f => f.LoginChallenge, flows, ct) is not { } flow) return NotFound("login");
        if (flow.State != FlowState.LoginRequested) return Handled(flow);
        return await RejectAsync(flow, body, flows, ct);
    }

    internal static async Task<IResult> GetConsent(string? consent_challenge, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindAsync(consent_challenge, f => f.ConsentChallenge, flows, ct) is not { } flow) return NotFound("consent");
        if (flow.State != FlowState.ConsentRequested) return Handled(flow);
        var client = await clients.FindAsync(flow.ClientId, ct);
        return Results.Json(new ConsentRequestJson(flow.ConsentChallenge!, flow.Id.ToString(), flow.Subject, ClientJson.From(client!), false, flow.RequestUrl,
            flow.RequestedScope, flow.RequestedAudience, flow.LoginChallenge, flow.LoginSessionId, flow.Acr, flow.Amr, flow.Context, []));
    }

    internal static async Task<IResult> AcceptConsent(string? consent_challenge, AcceptConsentJson body, FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (await FindAsync(consent_challenge, f => f.ConsentChallenge, flows, ct) is not { } flow) return NotFound("consent");
        if (flow.State != FlowState.ConsentRequested) return Handled(flow);

        var granted = body.GrantScope ?? [];
        if (granted.FirstOrDefault(s => !flow.RequestedScope.Contains(s)) is { } scope)
            return OryError.BadRequest($"Scope '{scope}' was not requested and cannot be granted.").ToResult();
        var client = await clients.FindAsync(flow.ClientId, ct);
        var audience = body.GrantAccessTokenAudience ?? [];
        if (audience.FirstOrDefault(a => client is null || !client.Audience.Contains(a)) is { } notAllowed)
            return OryError.BadRequest($"Audience '{notAllowed}' is not allowed for this client.").ToResult();

        var verifier = FlowSecrets.New(flow.Id);
        flow.State = FlowState.ConsentAccepted;
        flow.ConsentVerifierHash = FlowSecrets.Hash(verifier);
        flow.GrantedScope = granted;
        flow.GrantedAudience = audience;
        flow.AccessTokenClaims = body.Session?.AccessToken;
        flow.IdTokenClaims = body.Session?.IdToken;
        return await SaveAsync(flow, flows, $"{flow.RequestUrl}&consent_verifier={Uri.EscapeDataString(verifier)}", ct);
    }

    internal static async Task<IResult> RejectConsent(string? consent_challenge, RejectJson body, FlowStore flows, CancellationToken ct)
    {
        if (await FindAsync(consent_challenge, f => f.ConsentChallenge, flows, ct) is not { } flow) return NotFound("consent");
        if (flow.State != FlowState.ConsentRequested) return Handled(flow);
        return await RejectAsync(flow, body, flows, ct);
    }

    /// <summary>The browser goes back to the client with the error, as RFC 6749 §4.1.2.1 says.</summary>
    static Task<IResult> RejectAsync(LoginConsentFlow flow, RejectJson body, FlowStore flows, CancellationToken ct)
    {
        flow.State = FlowState.Rejected;
        var error = string.IsNullOrEmpty(body.Error) ? "access_denied" : body.Error;
        var description = string.Join(' ', new[] { body.ErrorDescription ?? "The resource owner or authorization server denied the request.", body.ErrorHint }.Where(s => !string.IsNullOrEmpty(s)));
        var redirect = $"{flow.RedirectUri}{(flow.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?')}error={Uri.EscapeDataString(error)}&error_description={Uri.EscapeDataString(description)}";
        if (flow.OAuthState is { } state) redirect += $"&state={Uri.EscapeDataString(state)}";
        return SaveAsync(flow, flows, redirect, ct);
    }

    static async Task<IResult> SaveAsync(LoginConsentFlow flow, FlowStore flows, string redirectTo, CancellationToken ct)
    {
        try
        {
            await flows.UpdateAsync(flow, ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return OryError.Conflict("The request was handled concurrently.").ToResult();
        }
        return Results.Json(new RedirectJson(redirectTo));
    }
}
