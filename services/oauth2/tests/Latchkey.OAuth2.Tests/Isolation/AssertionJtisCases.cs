namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner has used an assertion's jti; another project may use the same jti (it is another issuer's namespace).</summary>
public sealed class AssertionJtisCases : StoreCases
{
    const string Issuer = "https://idp.a.example";
    const string Jti = "jti-1";
    static readonly CancellationToken None = CancellationToken.None;

    public override Task SeedAsync(ProjectScope owner) =>
        owner.Jtis.TryMarkUsedAsync(Issuer, Jti, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow, None);

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            // Seeing the owner's use is being refused the jti.
            ["TryMarkUsedAsync"] = async (_, caller) => !await caller.Jtis.TryMarkUsedAsync(Issuer, Jti, DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow, None),
            ["IsUsedAsync"] = (_, caller) => caller.Jtis.IsUsedAsync(Issuer, Jti, DateTimeOffset.UtcNow, None),
        };
}
