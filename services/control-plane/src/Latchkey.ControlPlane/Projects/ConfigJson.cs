using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Latchkey.Tenancy;

namespace Latchkey.ControlPlane.Projects;

/// <summary>
/// <c>services.oauth2.config</c> on the wire. Every key is written, unset URLs as null, so that a JSON
/// Patch <c>replace</c> finds each one; reading is strict: unknown keys and wrong types are rejected by path.
/// </summary>
internal static class ConfigJson
{
    public const string Path = "/services/oauth2/config";

    static readonly JsonSerializerOptions Strict = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
    };

    /// <summary>The default config's tree: the allowed keys and, by each leaf's kind, the allowed type.</summary>
    static readonly JsonObject Shape = ToNode(new OAuth2Config());

    /// <summary>
    /// What a read shows in place of a hook's API key (Ory Network redacts secrets on read-back). Written back, in a
    /// patch that leaves the hook alone or in one that replaces it with what was read, it keeps the stored key.
    /// </summary>
    public const string Redacted = "**redacted**";

    public static JsonObject ToNode(OAuth2Config config) => JsonSerializer.SerializeToNode(config, Strict)!.AsObject();

    /// <summary>The config as a read answers it: every hook's API key <see cref="Redacted"/>.</summary>
    public static JsonObject ToWire(OAuth2Config config) => ToNode(config with
    {
        OAuth2 = config.OAuth2 with { TokenHook = Redact(config.OAuth2.TokenHook), RefreshTokenHook = Redact(config.OAuth2.RefreshTokenHook) },
    });

    /// <summary>
    /// A patched config with the stored API key back wherever the patch left the redacted one (or none): a key
    /// changes only when a new value is written.
    /// </summary>
    public static OAuth2Config KeepSecrets(OAuth2Config patched, OAuth2Config stored) => patched with
    {
        OAuth2 = patched.OAuth2 with
        {
            TokenHook = Keep(patched.OAuth2.TokenHook, stored.OAuth2.TokenHook),
            RefreshTokenHook = Keep(patched.OAuth2.RefreshTokenHook, stored.OAuth2.RefreshTokenHook),
        },
    };

    static HookConfig? Redact(HookConfig? hook) =>
        hook?.Auth is { } auth ? hook with { Auth = auth with { Config = auth.Config with { Value = Redacted } } } : hook;

    static HookConfig? Keep(HookConfig? patched, HookConfig? stored) =>
        patched?.Auth is { Config.Value: Redacted or "" } auth && stored?.Auth is { } storedAuth
            ? patched with { Auth = auth with { Config = auth.Config with { Value = storedAuth.Config.Value } } }
            : patched;

    /// <summary>Reads a config, naming every unknown key and mistyped value by its JSON Pointer.</summary>
    public static (OAuth2Config? Config, IReadOnlyList<string> Problems) Read(JsonNode? node)
    {
        var problems = new List<string>();
        if (node is not JsonObject config)
        {
            problems.Add($"{Path}: must be an object.");
            return (null, problems);
        }
        Check(config, Shape, Path, problems);
        if (problems.Count > 0) return (null, problems);

        try
        {
            return (config.Deserialize<OAuth2Config>(Strict), problems);
        }
        catch (JsonException ex)
        {
            // Check() should have caught everything; this keeps any gap a 400 rather than a 500.
            problems.Add($"{Path}: {ex.Message}");
            return (null, problems);
        }
    }

    static void Check(JsonObject actual, JsonObject shape, string at, List<string> problems)
    {
        foreach (var (key, value) in actual)
        {
            var path = $"{at}/{key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
            if (!shape.TryGetPropertyValue(key, out var expected))
            {
                problems.Add($"{path}: unknown key; known keys here are {string.Join(", ", shape.Select(p => p.Key))}.");
                continue;
            }
            switch (expected)
            {
                case JsonObject nested when value is JsonObject child:
                    Check(child, nested, path, problems);
                    break;
                case JsonObject:
                    problems.Add($"{path}: must be an object.");
                    break;
                // A hook is a URL or Hydra's webhook object; its converter reads the object strictly.
                case null when value is JsonObject && key is "token_hook" or "refresh_token_hook":
                    break;
                // Only the URLs and hooks are null by default, and they are optional strings.
                case null when value is not null && value.GetValueKind() != JsonValueKind.String:
                    problems.Add($"{path}: must be a string or null.");
                    break;
                case JsonValue leaf when value?.GetValueKind() is not { } kind || !SameKind(kind, leaf.GetValueKind()):
                    problems.Add($"{path}: must be {Describe(leaf.GetValueKind())}.");
                    break;
            }
        }
    }

    static bool SameKind(JsonValueKind actual, JsonValueKind expected) =>
        actual == expected || (IsBoolean(actual) && IsBoolean(expected));

    static bool IsBoolean(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False;

    static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Number => "a number",
        _ => "a JSON " + kind.ToString().ToLowerInvariant(),
    };
}
