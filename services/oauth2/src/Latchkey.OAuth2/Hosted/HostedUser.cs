using Marten.Schema;
using Marten.Schema.Indexing.Unique;

namespace Latchkey.OAuth2.Hosted;

/// <summary>A user who signed up on a project's hosted login page; per project, like every oauth2 document.</summary>
public sealed class HostedUser
{
    public Guid Id { get; set; }

    /// <summary>Trimmed and lower-case; unique within the project.</summary>
    [UniqueIndex(IndexType = UniqueIndexType.Computed, TenancyScope = TenancyScope.PerTenant)]
    public string Email { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Failed sign-ins for one email address in one project, known or not, so an unknown address is throttled
/// exactly like a known one. Removed after a successful sign-in.
/// </summary>
public sealed class HostedLoginFailures
{
    /// <summary>The normalized email.</summary>
    public string Id { get; set; } = "";

    public int Count { get; set; }

    public DateTimeOffset WindowStart { get; set; }
}
