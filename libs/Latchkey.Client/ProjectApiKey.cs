using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>A project API key (<c>lk_pat_…</c>); <see cref="Value"/> is only present in the create answer.</summary>
public sealed record ProjectApiKey
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? Value { get; init; }
    public string? LastCharacters { get; init; }
    public string? ProjectId { get; init; }
    public string? OwnerId { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
