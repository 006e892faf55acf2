using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Tests.Flows;
using Microsoft.AspNetCore.Http;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a remembered login of alice; callers present its cookie or end sessions by subject or id.</summary>
public sealed class LoginSessionsCases : StoreCases
{
    const string Subject = "alice";
    static readonly CancellationToken None = CancellationToken.None;

    readonly string _sid = Guid.NewGuid().ToString();
    string _cookie = "";

    public override async Task SeedAsync(ProjectScope owner)
    {
        var flow = TestFlows.AcceptLogin(TestFlows.Requested(TimeProvider.System.GetUtcNow(), loginSessionId: _sid), TimeProvider.System.GetUtcNow()).Flow;
        var (session, cookie) = owner.LoginSessions.Create(flow, TimeProvider.System.GetUtcNow().AddHours(1));
        _cookie = cookie;
        owner.Work.Session.Store(session);
        await owner.Work.SaveChangesAsync(None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FromCookieAsync"] = async (_, caller) => await caller.LoginSessions.FromCookieAsync(RequestWithCookie(caller), None) is not null,
            ["ListAsync(subject)"] = async (_, caller) => (await caller.LoginSessions.ListAsync(Subject, null, None)).Count > 0,
            ["ListAsync(sid)"] = async (_, caller) => (await caller.LoginSessions.ListAsync(null, _sid, None)).Count > 0,
            ["DeleteAsync(subject)"] = async (_, caller) =>
            {
                await caller.LoginSessions.DeleteAsync(Subject, null, None);
                return false;
            },
            ["DeleteAsync(sid)"] = async (_, caller) =>
            {
                await caller.LoginSessions.DeleteAsync(null, _sid, None);
                return false;
            },
        };

    DefaultHttpContext RequestWithCookie(ProjectScope caller)
    {
        var http = new DefaultHttpContext { RequestServices = caller.Services };
        http.Request.Headers.Cookie = $"{LoginSessions.CookieName}={_cookie}";
        return http;
    }
}
