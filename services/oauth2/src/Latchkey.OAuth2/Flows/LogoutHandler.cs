using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Server;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// <c>/oauth2/sessions/logout</c>, after OpenIddict has validated the <c>id_token_hint</c>. A browser with a login
/// session goes to the project's logout app with a <c>logout_challenge</c>; it comes back with a
/// <c>logout_verifier</c>, the session ends, and the browser goes to the client's registered
/// <c>post_logout_redirect_uri</c> (with <c>state</c>), or to <c>urls.post_logout_redirect</c> — through a page that
/// frames the front-channel logout URIs of the session's clients first, when it has any (<see cref="LogoutNotifier"/>).
/// </summary>
public sealed class LogoutHandler(FlowService service, FlowStore flows, LoginSessions sessions, ClientStore clients, LogoutNotifier notifier, IProjectContext project, TimeProvider clock)
    : IOpenIddictServerHandler<HandleEndSessionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<HandleEndSessionRequestContext, LogoutHandler>(
        OpenIddictServerHandlers.Session.AttachPrincipal.Descriptor.Order + 1_000);

    public async ValueTask HandleAsync(HandleEndSessionRequestContext context)
    {
        var http = context.Transaction.GetHttpRequest()!.HttpContext;
        if ((string?)context.Request["logout_verifier"] is { } verifier)
            await CompleteAsync(context, http, verifier);
        else
            await StartAsync(context, http);
    }

    async Task StartAsync(HandleEndSessionRequestContext context, HttpContext http)
    {
        var request = context.Request;
        var hint = context.IdentityTokenHintPrincipal;
        var clientId = hint?.GetAudiences().FirstOrDefault() ?? request.ClientId;
        if (request.PostLogoutRedirectUri is { } uri)
        {
            // As in Hydra: only a client that proves who it is (by the ID token it got) may send the browser back to itself.
            if (hint is null)
            {
                await RefuseAsync(context, http, FlowErrors.PostLogoutRedirectWithoutHint);
                return;
            }
            var client = clientId is null ? null : await clients.FindAsync(clientId, context.CancellationToken);
            // A URI stored before registration refused unsafe ones (javascript:, data:…) is not followed either.
            if (client is null || !client.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal) || !ClientValidator.IsAllowedRedirect(uri))
            {
                await RefuseAsync(context, http, FlowErrors.PostLogoutRedirectNotRegistered);
                return;
            }
        }

        var session = await sessions.FromCookieAsync(http, context.CancellationToken);
        if (session is not null && hint?.GetClaim(Claims.Subject) is { } subject && subject != session.Subject)
        {
            await RefuseAsync(context, http, FlowErrors.HintForAnotherUser);
            return;
        }
        if (session is null)
        {
            // Nothing to end in this browser: go straight to where the client asked.
            Redirect(context, http, FinalDestination(request.PostLogoutRedirectUri, request.State));
            return;
        }

        var now = clock.GetUtcNow();
        var id = Guid.NewGuid();
        var flow = new LogoutFlow
        {
            Id = id,
            Challenge = FlowSecrets.New(id),
            Csrf = Secrets.Generate(),
            Subject = session.Subject,
            Sid = session.Id,
            ClientId = clientId,
            RequestUrl = $"{project.Issuer}{http.Request.Path}{http.Request.QueryString}",
            RpInitiated = hint is not null,
            PostLogoutRedirectUri = request.PostLogoutRedirectUri,
            OAuthState = request.State,
            RequestedAt = now,
            ExpiresAt = now + GoDuration.Parse(project.Project.OAuth2.Ttl.LoginConsentRequest),
        };
        await flows.InsertAsync(flow, context.CancellationToken);

        FlowCookies.Issue(http, flow.Id, flow.Csrf, flow.ExpiresAt);
        var app = project.Project.OAuth2.Urls.Logout ?? $"{project.Issuer}/ui/logout";
        Redirect(context, http, $"{app}{(app.Contains('?', StringComparison.Ordinal) ? '&' : '?')}logout_challenge={Uri.EscapeDataString(flow.Challenge)}");
    }

    async Task CompleteAsync(HandleEndSessionRequestContext context, HttpContext http, string verifier)
    {
        var completed = await service.CompleteLogoutAsync(verifier, FlowCookies.Read(http, verifier), context.CancellationToken);
        if (completed.Failed(out var refused, out var flow))
        {
            context.Reject(refused.Error);
            return;
        }
        FlowCookies.Clear(http, flow.Id);
        LoginSessions.ClearCookie(http);
        var destination = FinalDestination(flow.PostLogoutRedirectUri, flow.OAuthState);
        var frontChannel = await notifier.SessionsEndedAsync(flow.Subject, [flow.Sid], context.CancellationToken);
        if (frontChannel.Count == 0)
        {
            Redirect(context, http, destination);
            return;
        }
        await FrontChannelLogoutPage.WriteAsync(http, frontChannel, destination);
        context.HandleRequest();
    }

    string FinalDestination(string? postLogoutRedirectUri, string? state)
    {
        if (postLogoutRedirectUri is null) return project.Project.OAuth2.Urls.PostLogoutRedirect ?? $"{project.Issuer}/ui/logged-out";
        return state is null ? postLogoutRedirectUri
            : $"{postLogoutRedirectUri}{(postLogoutRedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?')}state={Uri.EscapeDataString(state)}";
    }

    /// <summary>
    /// Answers 400 with the OAuth2 error here: OpenIddict would redirect it to the post_logout_redirect_uri,
    /// which is exactly what was not proven to belong to the caller.
    /// </summary>
    static async Task RefuseAsync(HandleEndSessionRequestContext context, HttpContext http, OAuth2Error error)
    {
        await error.WriteAsync(http);
        context.HandleRequest();
    }

    static void Redirect(HandleEndSessionRequestContext context, HttpContext http, string location)
    {
        http.Response.Redirect(location);
        context.HandleRequest();
    }
}
