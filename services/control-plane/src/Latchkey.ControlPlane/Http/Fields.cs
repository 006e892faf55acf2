using System.Text.Json.Nodes;

namespace Latchkey.ControlPlane.Http;

/// <summary>Checks for the few fields request bodies carry. Each returns the problem, or null and the value.</summary>
internal static class Fields
{
    public const int MaxNameLength = 128;

    static readonly string[] Environments = ["prod", "stage", "dev"];

    /// <summary>A required name: a string of 1 to 128 characters once trimmed, with no control characters.</summary>
    public static string? Name(JsonNode? node, string field, out string name)
    {
        name = "";
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
            return $"'{field}' is required and must be a string.";
        text = text.Trim();
        if (text.Length is 0 or > MaxNameLength) return $"'{field}' must be 1 to {MaxNameLength} characters long.";
        if (text.Any(char.IsControl)) return $"'{field}' must not contain control characters.";
        name = text;
        return null;
    }

    /// <summary>Optional <c>environment</c>: <c>prod</c>, <c>stage</c> or <c>dev</c> (the default, as in Ory's CLI).</summary>
    public static string? Environment(JsonNode? node, out string environment)
    {
        environment = "dev";
        if (node is null) return null;
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && Environments.Contains(text))
        {
            environment = text;
            return null;
        }
        return $"'environment' must be one of {string.Join(", ", Environments)}.";
    }

    /// <summary>Optional <c>expires_at</c>: an RFC 3339 date-time in the future.</summary>
    public static string? ExpiresAt(JsonNode? node, DateTimeOffset now, out DateTimeOffset? expiresAt)
    {
        expiresAt = null;
        if (node is null) return null;
        if (node is not JsonValue value || !value.TryGetValue<DateTimeOffset>(out var at))
            return "'expires_at' must be an RFC 3339 date-time such as 2030-01-01T00:00:00Z.";
        if (at <= now) return "'expires_at' must lie in the future.";
        expiresAt = at.ToUniversalTime();
        return null;
    }
}
