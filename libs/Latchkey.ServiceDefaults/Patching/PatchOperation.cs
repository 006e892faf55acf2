using System.Text.Json.Nodes;

namespace Latchkey.ServiceDefaults.Patching;

/// <summary>
/// One RFC 6902 operation as the server parsed it (the SDK's <c>Latchkey.Client.JsonPatchOperation</c> is what a
/// caller sends), already checked for shape: <see cref="From"/> is set for move and copy.
/// </summary>
public sealed record PatchOperation(string Op, JsonPointer Path, JsonPointer? From, JsonNode? Value)
{
    /// <summary>True for operations that write at <see cref="Path"/> (all but <c>test</c>).</summary>
    public bool Writes => Op != "test";

    public override string ToString() => From is null ? $"{Op} {Path}" : $"{Op} {From} -> {Path}";
}
