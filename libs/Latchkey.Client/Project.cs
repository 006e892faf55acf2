using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>A project as the control plane returns it (Ory Network's <c>project</c>).</summary>
public sealed record Project
{
    public string Id { get; init; } = "";
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string? State { get; init; }
    public string? Environment { get; init; }
    public string? WorkspaceId { get; init; }
    public string? RevisionId { get; init; }
    public ProjectServices? Services { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Fields this client does not model, kept so nothing is lost when printing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
