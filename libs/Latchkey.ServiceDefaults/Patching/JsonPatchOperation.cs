using System.Text.Json.Nodes;

namespace Latchkey.ServiceDefaults.Patching;

/// <summary>One RFC 6902 operation, already checked for shape: <see cref="From"/> is set for move and copy.</summary>
public sealed record JsonPatchOperation(string Op, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    /// <summary>True for operations that write at <see cref="Path"/> (all but <c>test</c>).</summary>
    public bool Writes => Op != "test";

    public override string ToString() => From is null ? $"{Op} {Path}" : $"{Op} {From} -> {Path}";
}
