using Latchkey.OAuth2.Hosted;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a hosted user; callers look it up, sign up with its email, and sign in with its password.</summary>
public sealed class HostedUsersCases : StoreCases
{
    const string Email = "alice@example.com";
    const string Password = "correct horse battery staple";
    static readonly CancellationToken None = CancellationToken.None;

    Guid _id;

    public override async Task SeedAsync(ProjectScope owner) =>
        _id = (await owner.HostedUsers.CreateAsync(Email, Password, None))!.Id;

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["FindAsync"] = async (_, caller) => await caller.HostedUsers.FindAsync(_id, None) is not null,
            ["CreateAsync"] = async (_, caller) => await caller.HostedUsers.CreateAsync(Email, Password, None) is null,
            ["SignInAsync"] = async (_, caller) => (await caller.HostedUsers.SignInAsync(Email, Password, None)).Status == HostedUsers.SignInStatus.Ok,
        };
}
