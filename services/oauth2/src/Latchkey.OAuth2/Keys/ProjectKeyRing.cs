using Latchkey.OAuth2.Storage;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Marten;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.OAuth2.Keys;

/// <summary>
/// A project's asymmetric signing keys, in its two Hydra key sets. The newest key of a set signs; every key
/// stays in the JWKS until deleted. A set without keys — a new project's, or one whose last key was
/// deleted — gets a fresh RS256 key the next time the project's server options are built (its next request),
/// under a per-project advisory lock, so replicas starting on a fresh project together make one key, not one each.
/// Every change bumps the project's revision in the same transaction, which is what server options are cached
/// by: a replica that missed the Redis announcement still rebuilds them once its directory entry expires
/// (<see cref="ProjectDirectory"/>: seconds). The announcement drops them here and on every other replica at once.
/// A singleton that server options are built with, outside any request: each method names its project, and opens
/// its session on that project's tenant.
/// </summary>
public sealed class ProjectKeyRing(IOAuth2Store store, IDocumentStore platform, KeyDerivation derivation, ProjectDirectory directory, RedisConnection redis, TimeProvider clock)
{
    readonly string _projects = OAuth2Schema.TableOf<StoredProject>(platform);

    /// <summary>The keys of both sets, newest first, creating an RS256 key for any set that has none.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredKey>>> GetSigningKeysAsync(ProjectInfo project, CancellationToken ct)
    {
        IReadOnlyList<StoredKey> stored;
        await using (var query = store.QuerySession(project.TenantId))
            stored = await query.Query<StoredKey>().ToListAsync(ct);

        if (KeySets.All.Any(set => !stored.Any(k => k.Set == set)))
            stored = await CreateMissingAsync(project, ct);
        return KeySets.All.ToDictionary(set => set, set => (IReadOnlyList<StoredKey>)Newest(stored.Where(k => k.Set == set)));
    }

    /// <summary>
    /// Creates a key for each set that has none, under the project's advisory lock: a replica that waited for it
    /// reads the keys the first one made instead of making its own (two keys would mean two JWKS answers).
    /// Answers every key of the project.
    /// </summary>
    async Task<IReadOnlyList<StoredKey>> CreateMissingAsync(ProjectInfo project, CancellationToken ct)
    {
        await using var session = store.LightweightSession(project.TenantId);
        await session.BeginTransactionAsync(ct);
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(hashtextextended(?, 0))", ct, $"lk:signing-keys:{project.Id}");
        var stored = await session.Query<StoredKey>().ToListAsync(ct);
        var missing = KeySets.All.Where(set => !stored.Any(k => k.Set == set)).Select(set => Generate(set, "RS256", null)).ToList();
        if (missing.Count == 0) return stored;
        session.Store(missing.ToArray());
        await session.SaveChangesAsync(ct);
        return [.. stored, .. missing];
    }

    public async Task<IReadOnlyList<StoredKey>> ListAsync(ProjectInfo project, string set, CancellationToken ct)
    {
        await using var query = store.QuerySession(project.TenantId);
        return Newest(await query.Query<StoredKey>().Where(k => k.Set == set).ToListAsync(ct));
    }

    /// <summary>A key by kid, in whichever set holds it.</summary>
    public async Task<StoredKey?> FindAsync(ProjectInfo project, string kid, CancellationToken ct)
    {
        await using var query = store.QuerySession(project.TenantId);
        return await query.LoadAsync<StoredKey>(kid, ct);
    }

    /// <summary>Stores keys, after deleting the whole set first when <paramref name="replaceSet"/> (one transaction).</summary>
    public async Task SaveAsync(ProjectInfo project, IReadOnlyList<StoredKey> keys, string? replaceSet, CancellationToken ct)
    {
        await using var session = store.LightweightSession(project.TenantId);
        if (replaceSet is not null) session.DeleteWhere<StoredKey>(k => k.Set == replaceSet);
        session.Store(keys.ToArray());
        BumpRevision(session, project);
        await session.SaveChangesAsync(ct);
        await AnnounceAsync(project);
    }

    /// <summary>Deletes one key of a set, or the whole set when <paramref name="kid"/> is null; false when nothing matched.</summary>
    public async Task<bool> DeleteAsync(ProjectInfo project, string set, string? kid, CancellationToken ct)
    {
        var keys = await ListAsync(project, set, ct);
        var doomed = keys.Where(k => kid is null || k.Id == kid).ToList();
        if (doomed.Count == 0) return false;
        await using var session = store.LightweightSession(project.TenantId);
        foreach (var key in doomed) session.Delete(key);
        BumpRevision(session, project);
        await session.SaveChangesAsync(ct);
        await AnnounceAsync(project);
        return true;
    }

    /// <summary>
    /// Raises the project's revision with the key change, in its transaction: one statement, which waits for the
    /// control plane's row lock on the project and adds to whatever revision it committed, so neither loses the other's.
    /// The revision id the control plane shows changes with it, as it does for any change to what the project serves.
    /// </summary>
    void BumpRevision(IDocumentSession session, ProjectInfo project) =>
        session.QueueSqlCommand(
            $"update {_projects} set data = jsonb_set(data, '{{revision}}', to_jsonb((data->>'revision')::bigint + 1)), mt_last_modified = now() where id = ?",
            project.Id);

    /// <summary>Forget raises ProjectDirectory.Changed, which drops the project's server options (OAuth2App wires it).</summary>
    async Task AnnounceAsync(ProjectInfo project)
    {
        directory.Forget(project.Id);
        await ProjectDirectory.AnnounceAsync(redis, project.Id);
    }

    /// <summary>A new key of <paramref name="alg"/>, not yet stored; the kid is a UUID unless given.</summary>
    public StoredKey Generate(string set, string alg, string? kid) =>
        Protect(set, KeyMaterial.Generate(alg, kid ?? Guid.NewGuid().ToString()), clock.GetUtcNow());

    /// <summary>A stored form of a private JWK: the public members in clear, the whole key encrypted.</summary>
    public StoredKey Protect(string set, JwkJson privateJwk, DateTimeOffset createdAt) => new()
    {
        Id = privateJwk.Kid!,
        Set = set,
        Alg = privateJwk.Alg!,
        Use = "sig",
        PublicJwk = KeyMaterial.Serialize(privateJwk.PublicPart()),
        ProtectedPrivateJwk = derivation.Protect(KeyMaterial.Serialize(privateJwk)),
        CreatedAt = createdAt,
    };

    public SecurityKey ToSigningKey(StoredKey key)
    {
        var jwk = KeyMaterial.Parse(derivation.Unprotect(key.ProtectedPrivateJwk));
        return KeyMaterial.ToSecurityKey(jwk with { Kid = key.Id });
    }

    static List<StoredKey> Newest(IEnumerable<StoredKey> keys) =>
        keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();
}
