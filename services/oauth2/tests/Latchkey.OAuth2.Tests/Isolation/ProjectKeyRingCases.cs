using Latchkey.OAuth2.Keys;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has a signing key with a known kid; callers name their own project, and that kid.</summary>
public sealed class ProjectKeyRingCases : StoreCases
{
    const string Kid = "kid-of-a";
    const string Set = KeySets.IdToken;
    static readonly CancellationToken None = CancellationToken.None;

    public override Task SeedAsync(ProjectScope owner) =>
        owner.Keys.SaveAsync(owner.Project, [owner.Keys.Generate(Set, "ES256", Kid)], replaceSet: null, None);

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["GetSigningKeysAsync"] = async (_, caller) =>
                (await caller.Keys.GetSigningKeysAsync(caller.Project, None)).Values.Any(keys => keys.Any(k => k.Id == Kid)),
            ["ListAsync"] = async (_, caller) => (await caller.Keys.ListAsync(caller.Project, Set, None)).Any(k => k.Id == Kid),
            ["FindAsync"] = async (_, caller) => await caller.Keys.FindAsync(caller.Project, Kid, None) is not null,
            ["SaveAsync"] = async (_, caller) =>
            {
                await caller.Keys.SaveAsync(caller.Project, [caller.Keys.Generate(Set, "ES256", Kid)], replaceSet: Set, None);
                return false;
            },
            ["DeleteAsync(kid)"] = (_, caller) => caller.Keys.DeleteAsync(caller.Project, Set, Kid, None),
            ["DeleteAsync(set)"] = (_, caller) => caller.Keys.DeleteAsync(caller.Project, Set, null, None),
        };
}
