using Latchkey.ControlPlane.Http;
using Latchkey.ControlPlane.Projects;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;

namespace Latchkey.ControlPlane.ApiKeys;

/// <summary>Project API keys (<c>lk_pat_…</c>): made here, stored only as a keyed hash, verified by <see cref="ApiKeyDirectory"/>.</summary>
internal sealed class ApiKeyStore(IDocumentStore store, SecretHasher hasher, RedisConnection redis, ApiKeyDirectory apiKeys, TimeProvider clock)
{
    const int ShownCharacters = 4;

    /// <summary>Creates a key for a live project of the workspace; null when there is no such project.</summary>
    public async Task<(ApiKey Key, string Value)?> CreateAsync(
        Guid workspaceId, Guid projectId, string name, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        // Under the project's row lock, so a key cannot slip in while the project is being deleted.
        if (await ProjectStore.LockAsync(session, workspaceId, projectId, ct) is null) return null;

        var value = Secrets.Generate(Secrets.ProjectKeyPrefix);
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Kind = ApiKeyKind.Project,
            WorkspaceId = workspaceId,
            ProjectId = projectId,
            Name = name,
            Hash = hasher.Hash(value),
            LastCharacters = value[^ShownCharacters..],
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        session.Insert(key);
        await session.SaveChangesAsync(ct);
        return (key, value);
    }

    /// <summary>The project's keys, oldest first; null when there is no such project.</summary>
    public async Task<IReadOnlyList<ApiKey>?> ListAsync(Guid workspaceId, Guid projectId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        if (ProjectStore.Owned(await session.LoadAsync<StoredProject>(projectId, ct), workspaceId) is null) return null;
        return await session.Query<ApiKey>()
            .Where(k => k.ProjectId == projectId && k.Kind == ApiKeyKind.Project)
            .OrderBy(k => k.CreatedAt)
            .ToListAsync(ct);
    }

    /// <summary>Deletes one key of the project and tells every replica to stop accepting it.</summary>
    public async Task<OryError?> DeleteAsync(Guid workspaceId, Guid projectId, Guid keyId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (ProjectStore.Owned(await session.LoadAsync<StoredProject>(projectId, ct), workspaceId) is null)
            return ControlPlaneErrors.ProjectNotFound;
        var key = await session.LoadAsync<ApiKey>(keyId, ct);
        if (key is not { Kind: ApiKeyKind.Project } || key.ProjectId != projectId) return ControlPlaneErrors.ApiKeyNotFound;

        session.Delete(key);
        await session.SaveChangesAsync(ct);
        apiKeys.ForgetAll();
        await ApiKeyDirectory.AnnounceRevokedAsync(redis, keyId);
        return null;
    }
}
