using System.Collections.Concurrent;
using Marten;

namespace Latchkey.Storage;

/// <summary>
/// Verifies workspace and project API keys. A key is looked up by its keyed hash (one indexed read),
/// then remembered briefly; revoking a key announces it on <see cref="RevokedChannel"/> so every
/// replica forgets it at once.
/// </summary>
public sealed class ApiKeyDirectory
{
    public const string RevokedChannel = "lk:api-keys:revoked";
    static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    readonly IDocumentStore _store;
    readonly SecretHasher _hasher;
    readonly ConcurrentDictionary<string, (ApiKey? Key, DateTime Until)> _cache = new();

    public ApiKeyDirectory(IDocumentStore store, SecretHasher hasher, RedisConnection redis)
    {
        _store = store;
        _hasher = hasher;
        redis.Subscribe(RevokedChannel, _ => _cache.Clear());
    }

    public async ValueTask<ApiKey?> VerifyAsync(string presented, CancellationToken ct)
    {
        if (!presented.StartsWith(Secrets.WorkspaceKeyPrefix, StringComparison.Ordinal)
            && !presented.StartsWith(Secrets.ProjectKeyPrefix, StringComparison.Ordinal))
            return null;

        var candidates = _hasher.Candidates(presented);
        if (_cache.TryGetValue(candidates[0], out var hit) && hit.Until > DateTime.UtcNow) return hit.Key;

        await using var session = _store.QuerySession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => candidates.Contains(k.Hash), ct);
        if (key?.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow) key = null;
        _cache[candidates[0]] = (key, DateTime.UtcNow + Lifetime);
        return key;
    }

    public void ForgetAll() => _cache.Clear();

    public static Task AnnounceRevokedAsync(RedisConnection redis, Guid keyId) =>
        redis.PublishAsync(RevokedChannel, keyId.ToString());
}
