using Latchkey.OAuth2.Authorizations;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a valid permanent authorization and an old revoked one (which pruning deletes).</summary>
public sealed class AuthorizationStoreCases : StoreCases
{
    const string ApplicationId = "web-app";
    const string Subject = "alice";
    static readonly CancellationToken None = CancellationToken.None;

    readonly Guid _id = Guid.CreateVersion7();

    public override async Task SeedAsync(ProjectScope owner)
    {
        await owner.Authorizations.CreateAsync(Entry(_id, Statuses.Valid), None);
        await owner.Authorizations.CreateAsync(Entry(Guid.CreateVersion7(), Statuses.Revoked), None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FindByIdAsync"] = async (_, caller) => await caller.Authorizations.FindByIdAsync(_id.ToString(), None) is not null,
            ["FindBySubjectAsync"] = (_, caller) => AnyAsync(caller.Authorizations.FindBySubjectAsync(Subject, None)),
            ["FindByApplicationIdAsync"] = (_, caller) => AnyAsync(caller.Authorizations.FindByApplicationIdAsync(ApplicationId, None)),
            ["FindAsync(filters)"] = (_, caller) => AnyAsync(caller.Authorizations.FindAsync(Subject, ApplicationId, Statuses.Valid, AuthorizationTypes.Permanent, ["openid"], None)),
            ["ListAsync(count, offset)"] = (_, caller) => AnyAsync(caller.Authorizations.ListAsync(10, 0, None)),
            ["ListAsync(query)"] = (_, caller) => AnyAsync(caller.Authorizations.ListAsync((entries, subject) => entries.Where(a => a.Subject == subject), Subject, None)),
            ["GetAsync(query)"] = async (_, caller) => await caller.Authorizations.GetAsync((entries, id) => entries.Where(a => a.Id == id), _id, None) is not null,
            ["CountAsync"] = async (_, caller) => await caller.Authorizations.CountAsync(None) > 0,
            ["CountAsync(query)"] = async (_, caller) => await caller.Authorizations.CountAsync(entries => entries.Where(a => a.Subject == Subject), None) > 0,
            ["CreateAsync"] = (_, caller) => CollidesAsync(() => caller.Authorizations.CreateAsync(Entry(_id, Statuses.Valid), None).AsTask()),
            ["UpdateAsync"] = async (owner, caller) =>
            {
                var entry = (await owner.Authorizations.FindByIdAsync(_id.ToString(), None))!;
                entry.Status = Statuses.Revoked;
                return await SucceedsAsync(() => caller.Authorizations.UpdateAsync(entry, None).AsTask());
            },
            ["DeleteAsync"] = async (owner, caller) =>
            {
                await caller.Authorizations.DeleteAsync((await owner.Authorizations.FindByIdAsync(_id.ToString(), None))!, None);
                return false;
            },
            ["RevokeAsync"] = async (_, caller) => await caller.Authorizations.RevokeAsync(Subject, ApplicationId, null, null, None) > 0,
            ["RevokeAsync(no filter)"] = async (_, caller) => await caller.Authorizations.RevokeAsync(null, null, null, null, None) > 0,
            ["RevokeByApplicationIdAsync"] = async (_, caller) => await caller.Authorizations.RevokeByApplicationIdAsync(ApplicationId, None) > 0,
            ["RevokeBySubjectAsync"] = async (_, caller) => await caller.Authorizations.RevokeBySubjectAsync(Subject, None) > 0,
            ["PruneAsync"] = async (_, caller) => await caller.Authorizations.PruneAsync(TimeProvider.System.GetUtcNow(), None) > 0,
        };

    static AuthorizationEntry Entry(Guid id, string status) => new()
    {
        Id = id,
        ApplicationId = ApplicationId,
        Subject = Subject,
        Status = status,
        Type = AuthorizationTypes.Permanent,
        Scopes = ["openid"],
        CreationDate = TimeProvider.System.GetUtcNow().AddDays(-2),
    };
}
