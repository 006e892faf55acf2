using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// The authorization endpoint, after OpenIddict has validated the request (client, exact redirect URI,
/// response type, PKCE). A fresh request starts a flow and goes to the project's login app; it comes back
/// with a <c>login_verifier</c>, goes to the consent app, comes back with a <c>consent_verifier</c>, and only
/// then is the user signed in and a code issued — Hydra's protocol, so Hydra login apps work unchanged.
/// A remembered login session or consent makes the login or consent request <c>skip: true</c>.
/// </summary>
public sealed class AuthorizeHandler(FlowStore flows, LoginSessions sessions, ClientStore clients, UnitOfWork work, IProjectContext project) : IOpenIddictServerHandler<HandleAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleAuthorizationRequestContext>()
        .UseScopedHandler<AuthorizeHandler>()
        .SetOrder(int.MaxValue - 100_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    const string Invalid = "The login or consent verifier is invalid, expired, was already used, or belongs to another browser.";

    public async ValueTask HandleAsync(HandleAuthorizationRequestContext context)
    {
        var http = context.Transaction.GetHttpRequest()!.HttpContext;
        if ((string?)context.Request["consent_verifier"] is { } consentVerifier)
            await CompleteAsync(context, http, consentVerifier);
        else if ((string?)context.Request["login_verifier"] is { } loginVerifier)
            await AfterLoginAsync(context, http, loginVerifier);
        else
            await StartAsync(context, http);
    }

    async Task StartAsync(HandleAuthorizationRequestContext context, HttpContext http)
    {
        var request = context.Request;
        var audiences = ClientCredentialsGrant.RequestedAudiences(request);
        if (audiences.Length > 0 && await clients.FindAsync(request.ClientId!, context.CancellationToken) is { } client
            && audiences.FirstOrDefault(a => !client.Audience.Contains(a)) is { } audience)
        {
            context.Reject(Errors.InvalidRequest, $"Requested audience '{audience}' has not been whitelisted by the OAuth 2.0 Client.");
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var session = await RememberedLoginAsync(context, http, now);
        if (session is null && request.HasPromptValue(PromptValues.None))
        {
            context.Reject(Errors.LoginRequired, "prompt=none was requested, but the user has no remembered login session that satisfies the request.");
            return;
        }

        var flow = new LoginConsentFlow
        {
            Id = Guid.NewGuid(),
            State = FlowState.LoginRequested,
            Csrf = Secrets.Generate(),
            ClientId = request.ClientId!,
            RequestUrl = $"{project.Issuer}/oauth2/auth?{QueryOf(request)}",
            RedirectUri = request.RedirectUri!,
            OAuthState = request.State,
            RequestedScope = [.. request.GetScopes()],
            RequestedAudience = [.. audiences],
            Prompt = [.. (request.Prompt ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            OidcContext = OidcContextOf(request),
            LoginSkip = session is not null,
            Subject = session?.Subject,
            AuthenticatedAt = session?.AuthenticatedAt,
            LoginSessionId = session?.Id ?? Guid.NewGuid().ToString(),
            CreatedAt = now,
            ExpiresAt = now + GoDuration.Parse(project.Project.OAuth2.Ttl.LoginConsentRequest),
        };
        flow.LoginChallenge = FlowSecrets.New(flow.Id);
        await flows.InsertAsync(flow, context.CancellationToken);

        FlowCookies.Issue(http, flow.Id, flow.Csrf, flow.ExpiresAt);
        Redirect(context, http, project.Project.OAuth2.Urls.Login ?? $"{project.Issuer}/ui/login", "login_challenge", flow.LoginChallenge);
    }

    /// <summary>
    /// The browser's remembered login, unless the client asks to log in again (<c>prompt=login</c>), the login is
    /// older than <c>max_age</c>, or the <c>id_token_hint</c> names another user.
    /// </summary>
    async Task<LoginSession?> RememberedLoginAsync(HandleAuthorizationRequestContext context, HttpContext http, DateTimeOffset now)
    {
        if (context.Request.HasPromptValue(PromptValues.Login)) return null;
        var session = await sessions.FromCookieAsync(http, context.CancellationToken);
        if (session is null) return null;
        // Elapsed seconds against max_age: AuthenticatedAt + max_age overflows for a huge (and still valid) max_age.
        if (context.Request.MaxAge is { } maxAge && (now - session.AuthenticatedAt).TotalSeconds > maxAge) return null;
        if (context.IdentityTokenHintPrincipal?.GetClaim(Claims.Subject) is { } hinted && hinted != session.Subject) return null;
        return session;
    }

    static JsonObject? OidcContextOf(OpenIddictRequest request)
    {
        var context = new JsonObject();
        static JsonArray Words(string value) => [.. value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => (JsonNode)v)];
        if (request.AcrValues is { Length: > 0 } acr) context["acr_values"] = Words(acr);
        if (request.Display is { Length: > 0 } display) context["display"] = display;
        if (request.LoginHint is { Length: > 0 } hint) context["login_hint"] = hint;
        if (request.UiLocales is { Length: > 0 } locales) context["ui_locales"] = Words(locales);
        return context.Count == 0 ? null : context;
    }

    async Task AfterLoginAsync(HandleAuthorizationRequestContext context, HttpContext http, string verifier)
    {
        var flow = await flows.FindAsync(FlowSecrets.FlowIdOf(verifier), context.CancellationToken);
        if (await RejectedAsync(flow, flow?.LoginVerifierHash, verifier, context, http)) return;
        if (!IsValid(flow, FlowState.LoginAccepted, flow?.LoginVerifierHash, verifier, context, http))
        {
            context.Reject(Errors.InvalidRequest, Invalid);
            return;
        }

        var now = DateTimeOffset.UtcNow;
        LoginSession? remembered = null;
        string? cookie = null;
        if (!flow!.LoginSkip && flow.LoginRemember)
        {
            var lifetime = flow.LoginRememberFor > 0 ? TimeSpan.FromSeconds(Math.Min(flow.LoginRememberFor, FlowEndpoints.MaxRememberForSeconds)) : GoDuration.Parse(project.Project.OAuth2.Ttl.AuthenticationSession);
            (remembered, cookie) = sessions.Create(flow, now + lifetime);
        }

        if (!flow.Prompt.Contains(PromptValues.Consent))
        {
            if ((await clients.FindAsync(flow.ClientId, context.CancellationToken))?.SkipConsent == true)
                flow.ConsentSkip = true;
            else if (await flows.FindRememberedConsentAsync(flow.Subject!, flow.ClientId, flow.RequestedScope, flow.RequestedAudience, context.CancellationToken) is not null)
                flow.ConsentSkip = true;
        }
        if (!flow.ConsentSkip && flow.Prompt.Contains(PromptValues.None))
        {
            context.Reject(Errors.ConsentRequired, "prompt=none was requested, but the user has not granted this client the requested scopes.");
            return;
        }

        flow.State = FlowState.ConsentRequested;
        flow.ConsentChallenge = FlowSecrets.New(flow.Id);
        if (!await TrySaveAsync(flow, context, remembered)) return;
        if (cookie is not null)
            LoginSessions.IssueCookie(http, cookie, flow.LoginRememberFor > 0 ? remembered!.ExpiresAt : null);
        else if (!flow.LoginSkip)
            LoginSessions.ClearCookie(http);
        Redirect(context, http, project.Project.OAuth2.Urls.Consent ?? $"{project.Issuer}/ui/consent", "consent_challenge", flow.ConsentChallenge);
    }

    async Task CompleteAsync(HandleAuthorizationRequestContext context, HttpContext http, string verifier)
    {
        var flow = await flows.FindAsync(FlowSecrets.FlowIdOf(verifier), context.CancellationToken);
        if (await RejectedAsync(flow, flow?.ConsentVerifierHash, verifier, context, http)) return;
        if (!IsValid(flow, FlowState.ConsentAccepted, flow?.ConsentVerifierHash, verifier, context, http))
        {
            context.Reject(Errors.InvalidRequest, Invalid);
            return;
        }

        // The sign-in's first write: held, and committed with the authorization and the code by SignInWrites,
        // one write for this step.
        flow!.State = FlowState.Completed;
        work.Hold();
        await flows.UpdateAsync(flow, context.CancellationToken);
        FlowCookies.Clear(http, flow.Id);
        context.SignIn(PrincipalOf(flow));
    }

    /// <summary>
    /// The login or consent app rejected the request: OpenIddict answers the client with that error, in the
    /// request's response mode. The verifier is single use, like an accepting one.
    /// </summary>
    async Task<bool> RejectedAsync(LoginConsentFlow? flow, string? expectedHash, string verifier, HandleAuthorizationRequestContext context, HttpContext http)
    {
        if (flow?.State != FlowState.Rejected || !IsValid(flow, FlowState.Rejected, expectedHash, verifier, context, http)) return false;
        // It stays Rejected (Completed would make it a consent session): forgetting the hashes makes the verifier single use.
        (flow.LoginVerifierHash, flow.ConsentVerifierHash) = (null, null);
        if (!await TrySaveAsync(flow, context)) return true;
        FlowCookies.Clear(http, flow.Id);
        context.Reject(flow.RejectError ?? Errors.AccessDenied, flow.RejectErrorDescription);
        return true;
    }

    bool IsValid(LoginConsentFlow? flow, FlowState expected, string? expectedHash, string verifier, HandleAuthorizationRequestContext context, HttpContext http) =>
        flow is not null
        && flow.State == expected
        && flow.ExpiresAt > DateTimeOffset.UtcNow
        && flow.ClientId == context.Request.ClientId
        && FlowSecrets.Matches(FlowSecrets.Hash(verifier), expectedHash)
        && FlowCookies.IsPresent(http, flow.Id, flow.Csrf);

    async Task<bool> TrySaveAsync(LoginConsentFlow flow, HandleAuthorizationRequestContext context, LoginSession? remembered = null)
    {
        try
        {
            await flows.UpdateAsync(flow, context.CancellationToken, remembered);
            return true;
        }
        catch (JasperFx.ConcurrencyException)
        {
            context.Reject(Errors.InvalidRequest, Invalid);
            return false;
        }
    }

    static ClaimsPrincipal PrincipalOf(LoginConsentFlow flow)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, flow.Subject);
        identity.SetClaim("sid", flow.LoginSessionId);
        identity.SetClaim(UserInfoHandler.FlowClaim, flow.Id.ToString());
        if (flow.AuthenticatedAt is { } at)
            identity.AddClaim(new Claim(Claims.AuthenticationTime, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        if (flow.Acr is { Length: > 0 }) identity.SetClaim(Claims.AuthenticationContextReference, flow.Acr);
        foreach (var (name, value) in flow.IdTokenClaims ?? [])
        {
            if (value is not null && !IsReserved(name)) identity.AddClaim(ClaimOf(name, value, "id_token"));
        }
        foreach (var (name, value) in flow.AccessTokenClaims ?? [])
        {
            if (value is not null && !IsReserved(name)) identity.AddClaim(ClaimOf(name, value, "access_token"));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(flow.GrantedScope);
        principal.SetAudiences(flow.GrantedAudience);
        principal.SetDestinations(claim => claim.Properties.TryGetValue("lk_destination", out var destination)
            ? destination == "id_token" ? [Destinations.IdentityToken] : [Destinations.AccessToken]
            : claim.Type switch
            {
                Claims.Subject => [Destinations.AccessToken, Destinations.IdentityToken],
                Claims.AuthenticationTime or Claims.AuthenticationContextReference or "sid" => [Destinations.IdentityToken],
                UserInfoHandler.FlowClaim => [Destinations.AccessToken],
                _ => [Destinations.AccessToken],
            });
        return principal;
    }

    static bool IsReserved(string name) => name is Claims.Subject or Claims.Issuer or Claims.Audience or Claims.ExpiresAt
        or Claims.IssuedAt or Claims.NotBefore or Claims.JwtId or Claims.Nonce or Claims.AuthenticationTime or "sid" or Claims.Scope or Claims.ClientId or UserInfoHandler.FlowClaim;

    static Claim ClaimOf(string name, JsonNode value, string destination)
    {
        var claim = value.GetValueKind() == JsonValueKind.String
            ? new Claim(name, value.GetValue<string>())
            : new Claim(name, value.ToJsonString(), "JSON");
        claim.Properties["lk_destination"] = destination;
        return claim;
    }

    static void Redirect(HandleAuthorizationRequestContext context, HttpContext http, string app, string parameter, string value)
    {
        http.Response.Redirect($"{app}{(app.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{parameter}={Uri.EscapeDataString(value)}");
        context.HandleRequest();
    }

    /// <summary>The authorization request as a query string, without any verifier, to return to after each app.</summary>
    static string QueryOf(OpenIddictRequest request) => string.Join('&', request.GetParameters()
        .Where(p => p.Key is not ("login_verifier" or "consent_verifier"))
        .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString((string?)p.Value ?? "")}"));
}
