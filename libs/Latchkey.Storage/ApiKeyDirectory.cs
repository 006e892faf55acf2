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
    readonly TimeProvider _clock;
    readonly InvalidatingCache<string, ApiKey> _byHash;

    public ApiKeyDirectory(IDocumentStore store, SecretHasher hasher, RedisConnection redis, TimeProvider clock, CacheMetrics? metrics = null)
    {
        _store = store;
        _hasher = hasher;
        _clock = clock;
        _byHash = new(clock, Lifetime, Lifetime, metrics: metrics, name: "api_keys");
        redis.Subscribe(RevokedChannel, _ => _byHash.Clear());
    }

    public async ValueTask<ApiKey?> VerifyAsync(string presented, CancellationToken ct)
    {
        if (!presented.StartsWith(Secrets.WorkspaceKeyPrefix, StringComparison.Ordinal)
            && !presented.StartsWith(Secrets.ProjectKeyPrefix, StringComparison.Ordinal))
            return null;

        var candidates = _hasher.Candidates(presented);
        var key = await _byHash.GetOrLoadAsync(candidates[0], async token =>
        {
            await using var session = _store.QuerySession();
            return await session.Query<ApiKey>().FirstOrDefaultAsync(k => candidates.Contains(k.Hash), token);
        }, ct);
        // Checked on every use, not only on load, so a cached key stops working the moment it expires.
        return key?.ExpiresAt is { } expires && expires <= _clock.GetUtcNow() ? null : key;
    }

    public void ForgetAll() => _byHash.Clear();

    public static Task AnnounceRevokedAsync(RedisConnection redis, Guid keyId) =>
        redis.PublishAsync(RevokedChannel, keyId.ToString());
}
