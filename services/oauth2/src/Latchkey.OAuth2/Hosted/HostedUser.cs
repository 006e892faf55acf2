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
