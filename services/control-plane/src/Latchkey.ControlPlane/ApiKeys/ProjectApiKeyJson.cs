using Latchkey.Storage;

namespace Latchkey.ControlPlane.ApiKeys;

/// <summary>Ory Network's <c>projectApiKey</c>. <see cref="Value"/> is only set in the answer that creates the key.</summary>
internal sealed record ProjectApiKeyJson(
    Guid Id,
    string Name,
    string? Value,
    string LastCharacters,
    Guid? ProjectId,
    Guid OwnerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExpiresAt)
{
    public static ProjectApiKeyJson From(ApiKey key, string? value = null) =>
        new(key.Id, key.Name, value, key.LastCharacters, key.ProjectId, key.WorkspaceId, key.CreatedAt, key.CreatedAt, key.ExpiresAt);
}
