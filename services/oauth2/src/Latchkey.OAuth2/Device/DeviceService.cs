using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Tokens;
using Latchkey.Storage;
using Latchkey.Tenancy;
using OpenIddict.Abstractions;

namespace Latchkey.OAuth2.Device;

/// <summary>
/// The steps of a device verification that callers take — the verification endpoint (<see cref="DeviceHandlers"/>),
/// Hydra's device admin API (<see cref="DeviceEndpoints"/>) and the hosted verification page. Like
/// <see cref="FlowService"/> it loads the document, lets its own method decide, saves, and answers values; the login
/// and consent in between are <see cref="FlowService"/>'s (the device flow is its fourth caller).
/// </summary>
public sealed class DeviceService(
    DeviceStore devices, FlowStore flows, LoginSessions sessions, TokenStore tokens, IOpenIddictTokenManager tokenManager,
    UserCodes userCodes, IProjectContext project, TimeProvider clock)
{
    /// <summary>User codes one device request may try: a person mistypes, a script guesses.</summary>
    public const int MaxAttemptsPerRequest = 5;
    /// <summary>User codes a whole project may try per <see cref="ProjectWindow"/>, however many requests a guesser opens.</summary>
    public const int MaxAttemptsPerProject = 300;
    public static readonly TimeSpan ProjectWindow = TimeSpan.FromMinutes(1);

    public string VerificationUri => $"{project.Issuer}/oauth2/device/verify";

    /// <summary>
    /// A browser opened the verification URI: a new device request, bound to this browser by a cookie; returns where the
    /// browser goes, the project's device app (or the hosted page) with the <c>device_challenge</c> and any <c>user_code</c>.
    /// </summary>
    public async Task<string> StartAsync(HttpContext http, string? userCode, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.NewGuid();
        var request = new DeviceRequest
        {
            Id = id,
            Challenge = FlowSecrets.New(id),
            Csrf = Secrets.Generate(),
            CreatedAt = now,
            ExpiresAt = now + GoDuration.Parse(project.Project.OAuth2.Ttl.LoginConsentRequest),
        };
        await devices.InsertAsync(request, ct);
        FlowCookies.Issue(http, request.Id, request.Csrf, request.ExpiresAt);

        var app = project.Project.OAuth2.Urls.Device.Verification ?? $"{project.Issuer}/ui/device/verify";
        var url = $"{app}{(app.Contains('?', StringComparison.Ordinal) ? '&' : '?')}device_challenge={Uri.EscapeDataString(request.Challenge)}";
        return UserCodes.Normalize(userCode) is { } code ? $"{url}&user_code={code}" : url;
    }

    /// <summary>
    /// The device app sends what the user typed (Hydra's <c>acceptUserCodeRequest</c>); returns where the browser goes
    /// next: the verification endpoint with the device verifier. Each attempt is counted first, per request and per
    /// project, so concurrent guesses cannot outrun the limits.
    /// </summary>
    public async Task<FlowResult<string>> AcceptUserCodeAsync(string? challenge, string? userCode, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(challenge)) return new FlowFailure(FlowOutcome.Invalid, DeviceErrors.ChallengeMissing);
        if (string.IsNullOrWhiteSpace(userCode)) return new FlowFailure(FlowOutcome.Invalid, DeviceErrors.UserCodeEmpty);
        if (await devices.FindAsync(FlowSecrets.FlowIdOf(challenge), ct) is not { } request) return Unknown;
        var now = clock.GetUtcNow();
        if (request.CheckChallenge(challenge, now) is { } refused) return refused;

        if (await devices.CountAttemptAsync($"request:{request.Id:N}", now, request.ExpiresAt - request.CreatedAt, ct) > MaxAttemptsPerRequest
            || await devices.CountAttemptAsync("project", now, ProjectWindow, ct) > MaxAttemptsPerProject)
            return new FlowFailure(FlowOutcome.Invalid, DeviceErrors.TooManyAttempts);

        var signature = userCodes.SignatureOf(project.Project.Id, userCode);
        var entry = signature is null ? null : await tokens.FindByIdAsync(OpaqueTokens.IdFor(signature), ct);
        if (entry?.Signature != signature || UserCodes.GrantOf(entry, now) is not { } grant)
            return new FlowFailure(FlowOutcome.Invalid, DeviceErrors.InvalidUserCode);

        if (request.AcceptUserCode(challenge, grant, now).Failed(out var notAccepted, out var verifier)) return notAccepted;
        if (await SaveAsync(request, ct) is { } conflict) return conflict;
        return $"{VerificationUri}?device_verifier={Uri.EscapeDataString(verifier)}&client_id={Uri.EscapeDataString(grant.ClientId)}";
    }

    /// <summary>
    /// The browser is back with the device verifier: the usual login starts for the device's client and scopes (skipped
    /// for a remembered login, as at the authorization endpoint); returns the login app's URL with its challenge.
    /// </summary>
    public async Task<FlowResult<string>> StartLoginAsync(HttpContext http, string verifier, CancellationToken ct)
    {
        if (await devices.FindAsync(FlowSecrets.FlowIdOf(verifier), ct) is not { } request) return new FlowFailure(FlowOutcome.Unknown, DeviceErrors.InvalidVerifier);
        var now = clock.GetUtcNow();
        var session = await sessions.FromCookieAsync(http, ct);
        var id = Guid.NewGuid();
        var flow = new LoginConsentFlow
        {
            Id = id,
            LoginChallenge = FlowSecrets.New(id),
            Csrf = Secrets.Generate(),
            ClientId = request.ClientId ?? "",
            DeviceRequestId = request.Id,
            RequestUrl = $"{VerificationUri}?client_id={Uri.EscapeDataString(request.ClientId ?? "")}",
            RequestedScope = request.RequestedScope,
            RequestedAudience = request.RequestedAudience,
            LoginSessionId = session?.Id ?? Guid.NewGuid().ToString(),
            CreatedAt = now,
            ExpiresAt = now + GoDuration.Parse(project.Project.OAuth2.Ttl.LoginConsentRequest),
        };
        if (request.RedeemVerifier(verifier, FlowCookies.Read(http, verifier), flow.Id, now) is { } refused) return refused;
        if (session is not null) flow.SkipLogin(session.Subject, session.AuthenticatedAt);

        // The device request's step and the new flow in one write.
        if (await SaveAsync(request, ct, flow) is { } conflict) return conflict;
        FlowCookies.Clear(http, request.Id);
        FlowCookies.Issue(http, flow.Id, flow.Csrf, flow.ExpiresAt);
        var app = project.Project.OAuth2.Urls.Login ?? $"{project.Issuer}/ui/login";
        return $"{app}{(app.Contains('?', StringComparison.Ordinal) ? '&' : '?')}login_challenge={Uri.EscapeDataString(flow.LoginChallenge)}";
    }

    /// <summary>
    /// The flow's consent verifier was redeemed (held by the sign-in that follows): the device request completes in the same
    /// write. Returns the user code the sign-in approves.
    /// </summary>
    public async Task<FlowResult<DeviceRequest>> CompleteAsync(LoginConsentFlow flow, CancellationToken ct)
    {
        if (await devices.FindAsync(flow.DeviceRequestId, ct) is not { } request) return new FlowFailure(FlowOutcome.Unknown, DeviceErrors.InvalidVerifier);
        if (request.Complete(flow) is { } refused) return refused;
        await devices.UpdateAsync(request, ct);
        return request;
    }

    /// <summary>The login or consent app refused: the device's next poll answers <c>access_denied</c> (RFC 8628 §3.5).</summary>
    public async Task DenyAsync(Guid? flowId, CancellationToken ct)
    {
        if (await flows.FindAsync(flowId, ct) is not { DeviceRequestId: { } requestId } flow || await devices.FindAsync(requestId, ct) is not { } request) return;
        if (request.Complete(flow) is not null) return;
        await devices.UpdateAsync(request, ct);
        foreach (var id in new[] { request.DeviceCodeId, request.UserCodeId })
        {
            if (id is { } tokenId && await tokens.FindByIdAsync(tokenId, ct) is { } entry) await tokenManager.TryRejectAsync(entry, ct);
        }
    }

    static readonly FlowFailure Unknown = new(FlowOutcome.Unknown, DeviceErrors.UnknownChallenge);

    async Task<FlowFailure?> SaveAsync(DeviceRequest request, CancellationToken ct, LoginConsentFlow? started = null)
    {
        try
        {
            await devices.UpdateAsync(request, ct, started);
            return null;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return new FlowFailure(FlowOutcome.Conflict, DeviceErrors.HandledConcurrently);
        }
    }
}
