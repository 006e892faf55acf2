using Latchkey.Tenancy;

namespace Latchkey.Storage;

/// <summary>A workspace owns projects and workspace API keys.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

public enum ProjectState
{
    Running,
    Deleted,
}

/// <summary>
/// The control plane's project document (table <c>mt_doc_project</c>). Deleting a project marks it <see cref="ProjectState.Deleted"/>
/// at once (its host stops answering); its tenant data is purged afterwards.
/// </summary>
public sealed class StoredProject
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string Environment { get; set; } = "dev";
    public ProjectState State { get; set; }
    public long Revision { get; set; }
    public OAuth2Config OAuth2 { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public ProjectInfo ToInfo() => new(Id, WorkspaceId, Slug, Name, Revision, OAuth2) { Environment = Environment };
}

public enum ApiKeyKind
{
    Workspace,
    Project,
}

/// <summary>A workspace (<c>lk_wak_</c>) or project (<c>lk_pat_</c>) API key. Only its keyed hash is stored.</summary>
public sealed class ApiKey
{
    /// <summary>The <see cref="Name"/> of a console session key: a short-lived workspace key issued by sign-in.</summary>
    public const string ConsoleSessionName = "console session";

    public Guid Id { get; set; }
    public ApiKeyKind Kind { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? ProjectId { get; set; }
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public string LastCharacters { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
}
