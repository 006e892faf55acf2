using Latchkey.OAuth2.Storage;
using Latchkey.Storage;
using Marten;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// A remembered login in one browser: the login app accepted with <c>remember: true</c>. Its id is the
/// <c>sid</c> of the ID tokens issued in it; the browser holds <c>&lt;id&gt;.&lt;secret&gt;</c> in the
/// <see cref="LoginSessions.CookieName"/> cookie (named by <see cref="ProjectCookies"/>) and only the secret's hash is stored.
/// </summary>
public sealed class LoginSession
{
    public string Id { get; set; } = "";
    public string SecretHash { get; set; } = "";
    public string Subject { get; set; } = "";
    public DateTimeOffset AuthenticatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The current project's login sessions (through the request's <see cref="UnitOfWork"/>), and the cookie that names one in the browser.</summary>
public sealed class LoginSessions(UnitOfWork work, TimeProvider clock)
{
    public const string CookieName = "lk_session";

    /// <summary>The live session the browser's cookie names, or null (no cookie, unknown, expired or forged).</summary>
    public async Task<LoginSession?> FromCookieAsync(HttpContext http, CancellationToken ct)
    {
        if (ProjectCookies.Read(http, CookieName) is not { } value || value.LastIndexOf('.') is not (> 0 and var dot)) return null;
        var session = await work.Session.LoadAsync<LoginSession>(value[..dot], ct);
        return session is not null && session.ExpiresAt > clock.GetUtcNow() && FlowSecrets.Matches(FlowSecrets.Hash(value[(dot + 1)..]), session.SecretHash)
            ? session
            : null;
    }

    /// <summary>A new session document for the flow's login, and the cookie value that names it.</summary>
    public (LoginSession Session, string CookieValue) Create(LoginConsentFlow flow, DateTimeOffset expiresAt)
    {
        var secret = Secrets.Generate();
        var session = new LoginSession
        {
            Id = flow.LoginSessionId,
            SecretHash = FlowSecrets.Hash(secret),
            Subject = flow.Subject!,
            AuthenticatedAt = flow.AuthenticatedAt ?? clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        return (session, $"{session.Id}.{secret}");
    }

    /// <param name="expires">Null for a cookie that ends with the browser session (Hydra's <c>remember_for: 0</c>).</param>
    public static void IssueCookie(HttpContext http, string value, DateTimeOffset? expires) =>
        ProjectCookies.Append(http, CookieName, value, expires);

    public static void ClearCookie(HttpContext http)
    {
        if (ProjectCookies.IsPresent(http, CookieName)) ProjectCookies.Delete(http, CookieName);
    }

    /// <summary>The sessions <see cref="DeleteAsync"/> would end with the same arguments (at most 1000 of a subject).</summary>
    public async Task<IReadOnlyList<LoginSession>> ListAsync(string? subject, string? sid, CancellationToken ct)
    {
        var sessions = new List<LoginSession>();
        if (sid is not null && await work.Session.LoadAsync<LoginSession>(sid, ct) is { } one) sessions.Add(one);
        if (subject is not null) sessions.AddRange(await work.Session.Query<LoginSession>().Where(s => s.Subject == subject).Take(1000).ToListAsync(ct));
        return [.. sessions.DistinctBy(s => s.Id)];
    }

    /// <summary>Ends every session of a subject, or the one session with this id. Tokens are not touched, as in Hydra.</summary>
    public async Task DeleteAsync(string? subject, string? sid, CancellationToken ct)
    {
        if (sid is not null) work.Session.Delete<LoginSession>(sid);
        if (subject is not null) work.Session.DeleteWhere<LoginSession>(s => s.Subject == subject);
        await work.SaveChangesAsync(ct);
    }
}
