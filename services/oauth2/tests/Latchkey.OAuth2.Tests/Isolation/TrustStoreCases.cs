using Latchkey.OAuth2.Trust;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>The owner trusts an issuer's key for one subject; callers look it up, list, delete and match assertions to it.</summary>
public sealed class TrustStoreCases : StoreCases
{
    const string Issuer = "https://idp.a.example";
    const string Subject = "alice";
    const string KeyId = "key-a";
    static readonly CancellationToken None = CancellationToken.None;
    readonly Guid _id = Guid.NewGuid();

    public override async Task SeedAsync(ProjectScope owner)
    {
        await owner.Trusts.CreateAsync(NewTrust(_id), None);
    }

    public override IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods =>
        new Dictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>>
        {
            ["CreateAsync"] = async (_, caller) => !await caller.Trusts.CreateAsync(NewTrust(Guid.NewGuid()), None),
            ["FindAsync"] = async (_, caller) => await caller.Trusts.FindAsync(_id, None) is not null,
            ["ListAsync"] = async (_, caller) => (await caller.Trusts.ListAsync(null, 10, 0, None)).Total > 0,
            ["ListAsync(issuer)"] = async (_, caller) => (await caller.Trusts.ListAsync(Issuer, 10, 0, None)).Items.Count > 0,
            ["DeleteAsync"] = (_, caller) => caller.Trusts.DeleteAsync(_id, None),
            ["FindForAssertionAsync"] = async (_, caller) =>
                (await caller.Trusts.FindForAssertionAsync(Issuer, Subject, KeyId, DateTimeOffset.UtcNow, None)).Count > 0,
            ["FindForAssertionAsync(no kid)"] = async (_, caller) =>
                (await caller.Trusts.FindForAssertionAsync(Issuer, Subject, null, DateTimeOffset.UtcNow, None)).Count > 0,
        };

    static TrustedIssuer NewTrust(Guid id) => new()
    {
        Id = id,
        Issuer = Issuer,
        Subject = Subject,
        Scope = ["read"],
        KeyId = KeyId,
        Jwk = """{"kty":"EC","kid":"key-a"}""",
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
    };
}
