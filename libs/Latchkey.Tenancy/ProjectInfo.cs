namespace Latchkey.Tenancy;

/// <summary>What every service needs to know about a live project; read through the project directory.</summary>
public sealed record ProjectInfo(Guid Id, Guid WorkspaceId, string Slug, string Name, long Revision, OAuth2Config OAuth2)
{
    /// <summary>The Marten tenant id of the project's documents.</summary>
    public string TenantId => Id.ToString("N");

    /// <summary><c>prod</c>, <c>stage</c> or <c>dev</c>: with the plan, what the gateway's rate limits allow the project.</summary>
    public string Environment { get; init; } = "dev";
}
