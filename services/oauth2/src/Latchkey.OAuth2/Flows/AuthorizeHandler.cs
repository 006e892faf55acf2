using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
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
public sealed class AuthorizeHandler(FlowService service, FlowStore flows, LoginSessions sessions, ClientStore clients, IProjectContext project, TimeProvider clock) : IOpenIddictServerHandler<HandleAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<HandleAuthorizationRequestContext, AuthorizeHandler>(
        OpenIddictServerHandlers.Authentication.AttachPrincipal.Descriptor.Order + 1_000);

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
        var audiences = Audiences.Requested(request);
        if (audiences.Length > 0 && await clients.FindAsync(request.ClientId!, context.CancellationToken) is { } client
            && audiences.FirstOrDefault(a => !client.Audience.Contains(a)) is { } audience)
        {
            context.Reject(FlowErrors.AudienceNotWhitelisted(audience));
            return;
        }

        var now = clock.GetUtcNow();
        var session = await RememberedLoginAsync(context, http, now);
        if (session is null && request.HasPromptValue(PromptValues.None))
        {
            context.Reject(FlowErrors.LoginRequired);
            return;
        }

        var id = Guid.NewGuid();
        var flow = new LoginConsentFlow
        {
            Id = id,
            LoginChallenge = FlowSecrets.New(id),
            Csrf = Secrets.Generate(),
            ClientId = request.ClientId!,
            RequestUrl = $"{project.Issuer}/oauth2/auth?{QueryOf(request)}",
            RedirectUri = request.RedirectUri!,
            OAuthState = request.State,
            RequestedScope = [.. request.GetScopes()],
            RequestedAudience = [.. audiences],
            Prompt = [.. (request.Prompt ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            OidcContext = OidcContextOf(request),
            LoginSessionId = session?.Id ?? Guid.NewGuid().ToString(),
            CreatedAt = now,
            ExpiresAt = now + GoDuration.Parse(project.Project.OAuth2.Ttl.LoginConsentRequest),
        };
        if (session is not null) flow.SkipLogin(session.Subject, session.AuthenticatedAt);
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
        var redeemed = await service.RedeemLoginVerifierAsync(verifier, context.Request.ClientId, FlowCookies.Read(http, verifier), context.CancellationToken);
        if (redeemed.Failed(out var refused, out var consent))
        {
            Refuse(context, http, verifier, refused);
            return;
        }
        if (consent.SessionCookie is { } cookie)
            LoginSessions.IssueCookie(http, cookie, consent.SessionCookieExpires);
        else if (consent.ClearSessionCookie)
            LoginSessions.ClearCookie(http);
        Redirect(context, http, project.Project.OAuth2.Urls.Consent ?? $"{project.Issuer}/ui/consent", "consent_challenge", consent.ConsentChallenge);
    }

    async Task CompleteAsync(HandleAuthorizationRequestContext context, HttpContext http, string verifier)
    {
        var completed = await service.RedeemConsentVerifierAsync(verifier, context.Request.ClientId, FlowCookies.Read(http, verifier), context.CancellationToken);
        if (completed.Failed(out var refused, out var flow))
        {
            Refuse(context, http, verifier, refused);
            return;
        }
        FlowCookies.Clear(http, flow.Id);
        context.SignIn(PrincipalOf(flow));
    }

    /// <summary>
    /// OpenIddict answers the client with the error, in the request's response mode. A redeemed rejection (the login
    /// or consent app's error) also ends the flow in this browser.
    /// </summary>
    static void Refuse(HandleAuthorizationRequestContext context, HttpContext http, string verifier, FlowFailure refused)
    {
        if (refused.Outcome == FlowOutcome.Rejected && FlowSecrets.FlowIdOf(verifier) is { } flowId)
            FlowCookies.Clear(http, flowId);
        context.Reject(refused.Error);
    }

    /// <summary>The user a completed flow signs in, with what was consented to; the device verification signs in the same.</summary>
    internal static ClaimsPrincipal PrincipalOf(LoginConsentFlow flow)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, flow.Subject);
        identity.SetClaim("sid", flow.LoginSessionId);
        identity.SetClaim(FlowClaims.Flow, flow.Id.ToString());
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
                FlowClaims.Flow => [Destinations.AccessToken],
                _ => [Destinations.AccessToken],
            });
        return principal;
    }

    static bool IsReserved(string name) => name is Claims.Subject or Claims.Issuer or Claims.Audience or Claims.ExpiresAt
        or Claims.IssuedAt or Claims.NotBefore or Claims.JwtId or Claims.Nonce or Claims.AuthenticationTime or "sid" or Claims.Scope or Claims.ClientId or FlowClaims.Flow;

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
