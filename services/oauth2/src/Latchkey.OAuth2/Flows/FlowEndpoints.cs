namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Hydra's login and consent admin API: the project's login and consent apps read a request by its
/// challenge and accept or reject it; the answer says where to send the browser next. The steps are
/// <see cref="FlowService"/>'s; this maps their values to Hydra's wire answers.
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

    static async Task<IResult> GetLogin(string? login_challenge, FlowService flows, CancellationToken ct) =>
        Json(await flows.GetLoginRequestAsync(login_challenge, ct));

    static async Task<IResult> AcceptLogin(string? login_challenge, AcceptLoginJson body, FlowService flows, CancellationToken ct) =>
        Redirect(await flows.AcceptLoginAsync(login_challenge, body, ct));

    static async Task<IResult> RejectLogin(string? login_challenge, RejectJson body, FlowService flows, CancellationToken ct) =>
        Redirect(await flows.RejectLoginAsync(login_challenge, body, ct));

    static async Task<IResult> GetConsent(string? consent_challenge, FlowService flows, CancellationToken ct) =>
        Json(await flows.GetConsentRequestAsync(consent_challenge, ct));

    static async Task<IResult> AcceptConsent(string? consent_challenge, AcceptConsentJson body, FlowService flows, CancellationToken ct) =>
        Redirect(await flows.AcceptConsentAsync(consent_challenge, body, ct));

    static async Task<IResult> RejectConsent(string? consent_challenge, RejectJson body, FlowService flows, CancellationToken ct) =>
        Redirect(await flows.RejectConsentAsync(consent_challenge, body, ct));

    static async Task<IResult> GetLogout(string? logout_challenge, FlowService flows, CancellationToken ct) =>
        Json(await flows.GetLogoutRequestAsync(logout_challenge, ct));

    static async Task<IResult> AcceptLogout(string? logout_challenge, FlowService flows, CancellationToken ct) =>
        Redirect(await flows.AcceptLogoutAsync(logout_challenge, ct));

    static async Task<IResult> RejectLogout(string? logout_challenge, FlowService flows, CancellationToken ct) =>
        await flows.RejectLogoutAsync(logout_challenge, ct) is { } refused ? Refused(refused) : Results.NoContent();

    static IResult Json<T>(FlowResult<T> result) => result.Failed(out var refused, out var value) ? Refused(refused) : Results.Json(value);

    static IResult Redirect(FlowResult<string> result) => result.Failed(out var refused, out var to) ? Refused(refused) : Results.Json(new RedirectJson(to));

    /// <summary>Hydra answers 410 for a request that was already handled, with where the browser should go.</summary>
    static IResult Refused(FlowFailure refused) => refused.Outcome == FlowOutcome.AlreadyHandled
        ? Results.Json(new RedirectJson(refused.RequestUrl!), statusCode: StatusCodes.Status410Gone)
        : refused.Error.ToResult();
}
