using System.Text.Json.Nodes;
using Latchkey.OAuth2.Admin;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tokens;
using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Hydra's session admin API: list and revoke a subject's consent sessions (revoking one also revokes the
/// tokens issued to that client for that subject), and end remembered login sessions.
/// </summary>
public static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessions(this RouteGroupBuilder admin)
    {
        var sessions = admin.MapGroup("/oauth2/auth/sessions");
        sessions.MapGet("/consent", ListConsents);
        sessions.MapDelete("/consent", RevokeConsents);
        sessions.MapDelete("/login", RevokeLogins);
        return sessions;
    }

    static async Task<IResult> ListConsents(HttpContext http, string? subject, string? login_session_id, int? page_size, string? page_token,
        FlowStore flows, ClientStore clients, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(subject)) return FlowErrors.SubjectRequired.ToResult();
        var (pagination, error) = Pagination.From(page_size, page_token, defaultSize: 250, maxSize: 500);
        if (error is not null) return error.ToResult();
        var (size, page) = pagination;
        // One more than a page says whether there is a next one.
        var consents = await flows.ListConsentsAsync(subject, login_session_id, pagination.Offset, size + 1, ct);
        if (consents.Count > size)
        {
            var next = $"/admin/oauth2/auth/sessions/consent?subject={Uri.EscapeDataString(subject)}&page_size={size}&page_token={page + 1}";
            if (login_session_id is not null) next += $"&login_session_id={Uri.EscapeDataString(login_session_id)}";
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        var sessions = new List<ConsentSessionJson>();
        foreach (var consent in consents.Take(size))
        {
            var client = await clients.FindAsync(consent.ClientId, ct);
            sessions.Add(new ConsentSessionJson(
                ConsentRequestJson.Of(consent, client), consent.Id.ToString(), consent.GrantedScope, consent.GrantedAudience,
                consent.ConsentHandledAt, consent.ConsentRemember, consent.ConsentRememberFor, consent.ConsentContext,
                new ConsentClaimsJson(consent.AccessTokenClaims ?? [], consent.IdTokenClaims ?? [])));
        }
        return Results.Json(sessions);
    }

    static async Task<IResult> RevokeConsents(string? subject, string? client, string? consent_request_id, bool? all,
        FlowStore flows, TokenStore tokens, AuthorizationStore authorizations, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(subject)) return FlowErrors.SubjectRequired.ToResult();
        Guid? consentId = null;
        if (consent_request_id is not null)
        {
            if (!Guid.TryParse(consent_request_id, out var id)) return FlowErrors.ConsentRequestIdMalformed.ToResult();
            consentId = id;
        }
        if (string.IsNullOrEmpty(client) && consentId is null && all != true)
            return FlowErrors.ConsentRevocationUnscoped.ToResult();

        foreach (var clientId in await flows.RevokeConsentsAsync(subject, string.IsNullOrEmpty(client) ? null : client, consentId, ct))
        {
            await authorizations.RevokeAsync(subject, clientId, null, null, ct);
            await tokens.RevokeAsync(subject, clientId, null, null, ct);
        }
        return Results.NoContent();
    }

    /// <summary>Ends the sessions; the clients that got a consent in them are sent back-channel logout tokens (<see cref="LogoutNotifier"/>).</summary>
    static async Task<IResult> RevokeLogins(string? subject, string? sid, LoginSessions sessions, LogoutNotifier notifier, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(subject) && string.IsNullOrEmpty(sid))
            return FlowErrors.LoginRevocationUnscoped.ToResult();
        var ending = await sessions.ListAsync(string.IsNullOrEmpty(subject) ? null : subject, string.IsNullOrEmpty(sid) ? null : sid, ct);
        await sessions.DeleteAsync(string.IsNullOrEmpty(subject) ? null : subject, string.IsNullOrEmpty(sid) ? null : sid, ct);
        foreach (var ended in ending.GroupBy(s => s.Subject))
            await notifier.SessionsEndedAsync(ended.Key, [.. ended.Select(s => s.Id)], ct);
        return Results.NoContent();
    }
}

/// <summary>Hydra's <c>oAuth2ConsentSession</c>.</summary>
public sealed record ConsentSessionJson(
    ConsentRequestJson ConsentRequest, string ConsentRequestId, IReadOnlyList<string> GrantScope, IReadOnlyList<string> GrantAccessTokenAudience,
    DateTimeOffset? HandledAt, bool Remember, long RememberFor, JsonObject? Context, ConsentClaimsJson Session);
