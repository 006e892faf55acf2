using Latchkey.ServiceDefaults;
using Latchkey.Storage;

namespace Latchkey.ControlPlane.Projects;

/// <summary>A project in a list, shaped like Ory Network's <c>projectMetadata</c>: no config.</summary>
internal sealed record ProjectMetadataJson(
    Guid Id,
    Guid RevisionId,
    string Slug,
    string Name,
    string State,
    string Environment,
    Guid WorkspaceId,
    IReadOnlyList<string> Hosts,
    string Issuer,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ProjectMetadataJson From(StoredProject project, PlatformSettings settings) => new(
        project.Id,
        ProjectJson.RevisionIdOf(project),
        project.Slug,
        project.Name,
        ProjectJson.StateOf(project),
        project.Environment,
        project.WorkspaceId,
        [ProjectJson.HostOf(project, settings)],
        settings.IssuerFor(project.Slug),
        project.CreatedAt,
        project.UpdatedAt);
}
