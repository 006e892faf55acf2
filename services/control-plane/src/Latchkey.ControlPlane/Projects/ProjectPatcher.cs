using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Latchkey.ServiceDefaults.Patching;
using Latchkey.Storage;
using Latchkey.Tenancy;

namespace Latchkey.ControlPlane.Projects;

/// <summary>
/// Applies a JSON Patch to a project's wire document, then reads back what an owner may change: the
/// name and <c>services.oauth2.config</c>. Everything is checked before the project is touched.
/// </summary>
internal static class ProjectPatcher
{
    /// <summary>Rejects operations that would write outside <c>/name</c> and the OAuth2 config. <c>test</c> and <c>copy</c> may read anywhere.</summary>
    public static OryError? CheckPaths(IReadOnlyList<PatchOperation> operations)
    {
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            var written = op.Writes ? op.Path : null;
            var removed = op.Op == "move" ? op.From : null;
            foreach (var path in new[] { written, removed })
            {
                if (path is not null && !IsPatchable(path))
                    return ControlPlaneErrors.NotPatchable($"Operation {i} ({op})", path.Text, ConfigJson.Path);
            }
        }
        return null;
    }

    /// <summary>Patches <paramref name="project"/> in memory, or returns why not and leaves it untouched.</summary>
    public static OryError? Apply(StoredProject project, IReadOnlyList<PatchOperation> operations, PlatformSettings settings)
    {
        var document = JsonSerializer.SerializeToNode(ProjectJson.From(project, settings), LatchkeyDefaults.Json);
        var (patched, error) = JsonPatch.Apply(document, operations);
        if (error is not null) return ControlPlaneErrors.InvalidPatch(error);

        var nameError = Fields.Name(patched?["name"], "/name", out var name);
        if (nameError is not null) return ControlPlaneErrors.Invalid(nameError);

        var (config, problems) = ConfigJson.Read(ConfigOf(patched));
        if (config is null) return ControlPlaneErrors.InvalidConfig(string.Join(" ", problems));
        // The document showed hook API keys redacted; where the patch did not write a new one, the stored one stays.
        config = ConfigJson.KeepSecrets(config, project.OAuth2);
        problems = ConfigValidator.Validate(config);
        if (problems.Count > 0) return ControlPlaneErrors.InvalidConfig(string.Join(" ", problems));

        project.Name = name;
        project.OAuth2 = config;
        return null;
    }

    static bool IsPatchable(JsonPointer path) =>
        path.Text == "/name"
        || path.Text == ConfigJson.Path
        || path.Text.StartsWith(ConfigJson.Path + "/", StringComparison.Ordinal);

    static JsonNode? ConfigOf(JsonNode? document) =>
        document is JsonObject root && root["services"] is JsonObject services && services["oauth2"] is JsonObject oauth2
            ? oauth2["config"]
            : null;
}
