using Latchkey.OAuth2.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a valid refresh-token entry and an old revoked one (which pruning deletes).</summary>
public sealed class TokenStoreCases : StoreCases
{
    const string Signature = "sig-of-a";
    const string ApplicationId = "web-app";
    const string AuthorizationId = "auth-1";
    const string Subject = "alice";
    static readonly CancellationToken None = CancellationToken.None;

    readonly Guid _id = Guid.CreateVersion7();

    public override async Task SeedAsync(ProjectScope owner)
    {
        await owner.Tokens.InsertAsync(Entry(_id, Signature, Statuses.Valid, TimeSpan.Zero), None);
        await owner.Tokens.InsertAsync(Entry(Guid.CreateVersion7(), "sig-of-a-revoked", Statuses.Revoked, TimeSpan.FromDays(-1)), None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FindBySignatureAsync"] = async (_, caller) => await caller.Tokens.FindBySignatureAsync(Signature, None) is not null,
            ["FindByReferenceIdAsync"] = async (_, caller) => await caller.Tokens.FindByReferenceIdAsync(Signature, None) is not null,
            ["FindByIdAsync(string)"] = async (_, caller) => await caller.Tokens.FindByIdAsync(_id.ToString(), None) is not null,
            ["FindByIdAsync(Guid)"] = async (_, caller) => await caller.Tokens.FindByIdAsync(_id, None) is not null,
            ["FindBySubjectAsync"] = (_, caller) => AnyAsync(caller.Tokens.FindBySubjectAsync(Subject, None)),
            ["FindByApplicationIdAsync"] = (_, caller) => AnyAsync(caller.Tokens.FindByApplicationIdAsync(ApplicationId, None)),
            ["FindByAuthorizationIdAsync"] = (_, caller) => AnyAsync(caller.Tokens.FindByAuthorizationIdAsync(AuthorizationId, None)),
            ["FindAsync(filters)"] = (_, caller) => AnyAsync(caller.Tokens.FindAsync(Subject, ApplicationId, Statuses.Valid, TokenTypeHints.RefreshToken, None)),
            ["ListAsync(count, offset)"] = (_, caller) => AnyAsync(caller.Tokens.ListAsync(10, 0, None)),
            ["ListAsync(query)"] = (_, caller) => AnyAsync(caller.Tokens.ListAsync((tokens, subject) => tokens.Where(t => t.Subject == subject), Subject, None)),
            ["GetAsync(query)"] = async (_, caller) => await caller.Tokens.GetAsync((tokens, signature) => tokens.Where(t => t.Signature == signature), Signature, None) is not null,
            ["CountAsync"] = async (_, caller) => await caller.Tokens.CountAsync(None) > 0,
            ["CountAsync(query)"] = async (_, caller) => await caller.Tokens.CountAsync(tokens => tokens.Where(t => t.Subject == Subject), None) > 0,
            ["InsertAsync"] = (_, caller) => CollidesAsync(() => caller.Tokens.InsertAsync(Entry(_id, Signature, Statuses.Valid, TimeSpan.Zero), None)),
            ["CreateAsync"] = (_, caller) => CollidesAsync(() => caller.Tokens.CreateAsync(Entry(_id, Signature, Statuses.Valid, TimeSpan.Zero), None).AsTask()),
            ["UpdateAsync"] = async (owner, caller) =>
            {
                var entry = (await owner.Tokens.FindByIdAsync(_id, None))!;
                entry.Status = Statuses.Redeemed;
                return await SucceedsAsync(() => caller.Tokens.UpdateAsync(entry, None).AsTask());
            },
            ["DeleteAsync"] = async (owner, caller) =>
            {
                await caller.Tokens.DeleteAsync((await owner.Tokens.FindByIdAsync(_id, None))!, None);
                return false;
            },
            ["RevokeAsync"] = async (_, caller) => await caller.Tokens.RevokeAsync(Subject, ApplicationId, null, null, None) > 0,
            ["RevokeAsync(no filter)"] = async (_, caller) => await caller.Tokens.RevokeAsync(null, null, null, null, None) > 0,
            ["RevokeByApplicationIdAsync"] = async (_, caller) => await caller.Tokens.RevokeByApplicationIdAsync(ApplicationId, None) > 0,
            ["RevokeByAuthorizationIdAsync"] = async (_, caller) => await caller.Tokens.RevokeByAuthorizationIdAsync(AuthorizationId, None) > 0,
            ["RevokeBySubjectAsync"] = async (_, caller) => await caller.Tokens.RevokeBySubjectAsync(Subject, None) > 0,
            ["PruneAsync"] = async (_, caller) => await caller.Tokens.PruneAsync(TimeProvider.System.GetUtcNow(), None) > 0,
        };

    static TokenEntry Entry(Guid id, string signature, string status, TimeSpan age)
    {
        var created = TimeProvider.System.GetUtcNow() + age;
        return new TokenEntry
        {
            Id = id,
            ApplicationId = ApplicationId,
            AuthorizationId = AuthorizationId,
            Subject = Subject,
            Type = TokenTypeHints.RefreshToken,
            Status = status,
            CreationDate = created,
            ExpirationDate = created.AddHours(1),
            Signature = signature,
            Payload = "encrypted-envelope",
        };
    }
}
