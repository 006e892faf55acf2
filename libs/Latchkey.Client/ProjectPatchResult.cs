using System.Text.Json.Nodes;

namespace Latchkey.Client;

/// <summary>The answer to <c>PATCH /projects/{id}</c>: <c>{"project", "warnings"}</c> as Ory answers it.</summary>
public sealed record ProjectPatchResult
{
    public Project Project { get; init; } = new();
    public JsonArray? Warnings { get; init; }
}
