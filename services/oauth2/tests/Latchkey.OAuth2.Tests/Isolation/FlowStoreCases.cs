using Latchkey.OAuth2.Flows;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a completed, remembered consent of alice to web-app, and a logout flow.</summary>
public sealed class FlowStoreCases : StoreCases
{
    const string Subject = "alice";
    const string ClientId = "web-app";
    static readonly CancellationToken None = CancellationToken.None;

    readonly Guid _flowId = Guid.NewGuid();
    readonly Guid _logoutId = Guid.NewGuid();

    public override async Task SeedAsync(ProjectScope owner)
    {
        await owner.Flows.InsertAsync(Consent(), None);
        await owner.Flows.InsertAsync(Logout(), None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FindAsync"] = async (_, caller) => await caller.Flows.FindAsync(_flowId, None) is not null,
            ["FindLogoutAsync"] = async (_, caller) => await caller.Flows.FindLogoutAsync(_logoutId, None) is not null,
            ["FindRememberedConsentAsync"] = async (_, caller) =>
                await caller.Flows.FindRememberedConsentAsync(Subject, ClientId, ["openid"], [], None) is not null,
            ["ListConsentsAsync"] = async (_, caller) => (await caller.Flows.ListConsentsAsync(Subject, null, 0, 10, None)).Count > 0,
            ["ListConsentsAsync(login session)"] = async (_, caller) => (await caller.Flows.ListConsentsAsync(Subject, "sid-a", 0, 10, None)).Count > 0,
            ["InsertAsync(flow)"] = (_, caller) => CollidesAsync(() => caller.Flows.InsertAsync(Consent(), None)),
            ["InsertAsync(logout)"] = (_, caller) => CollidesAsync(() => caller.Flows.InsertAsync(Logout(), None)),
            ["UpdateAsync(flow)"] = async (owner, caller) =>
            {
                var flow = (await owner.Flows.FindAsync(_flowId, None))!;
                flow.ConsentRevoked = true;
                return await SucceedsAsync(() => caller.Flows.UpdateAsync(flow, None));
            },
            ["UpdateAsync(flow, remembered session)"] = async (owner, caller) =>
            {
                var flow = (await owner.Flows.FindAsync(_flowId, None))!;
                flow.ConsentRevoked = true;
                var (session, _) = caller.LoginSessions.Create(flow, TimeProvider.System.GetUtcNow().AddHours(1));
                return await SucceedsAsync(() => caller.Flows.UpdateAsync(flow, None, session));
            },
            ["UpdateAsync(logout)"] = async (owner, caller) =>
            {
                var logout = (await owner.Flows.FindLogoutAsync(_logoutId, None))!;
                logout.State = LogoutState.Completed;
                return await SucceedsAsync(() => caller.Flows.UpdateAsync(logout, None));
            },
            ["RevokeConsentsAsync"] = async (_, caller) => (await caller.Flows.RevokeConsentsAsync(Subject, null, null, None)).Count > 0,
            ["RevokeConsentsAsync(client, consent)"] = async (_, caller) => (await caller.Flows.RevokeConsentsAsync(Subject, ClientId, _flowId, None)).Count > 0,
        };

    LoginConsentFlow Consent()
    {
        var now = TimeProvider.System.GetUtcNow();
        return new LoginConsentFlow
        {
            Id = _flowId,
            State = FlowState.Completed,
            ClientId = ClientId,
            Subject = Subject,
            LoginSessionId = "sid-a",
            GrantedScope = ["openid"],
            ConsentRemember = true,
            ConsentHandledAt = now,
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
        };
    }

    LogoutFlow Logout() => new()
    {
        Id = _logoutId,
        State = LogoutState.Requested,
        Subject = Subject,
        Sid = "sid-a",
        ExpiresAt = TimeProvider.System.GetUtcNow().AddHours(1),
    };
}
