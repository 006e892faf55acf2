using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Latchkey.Storage;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Caching.Memory;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// Token entries read by introspection, kept in this process for one second: a resource server that introspects the
/// same token on every call costs one read per second instead of one per call. What keeps it correct:
/// <list type="bullet">
/// <item>On this replica, a change is seen at once: every commit that updates or deletes a project's entries (revoking,
/// redeeming, rotating; <see cref="ChangeListener"/>) and every set-based revocation bumps the project's generation,
/// and an entry remembered under an older generation is not used. The generation is read before the database is,
/// so a read that raced a change is remembered under the generation before it.</item>
/// <item>On other replicas, a change is seen within the entry's lifetime, one second.</item>
/// <item>Only an entry that was found is remembered, and only for introspection: grants that redeem or rotate a
/// token always read the database, where the one-time checks are.</item>
/// </list>
/// </summary>
public sealed class IntrospectionCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    const int MaxEntries = 100_000;

    readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    readonly ConcurrentDictionary<string, StrongBox<long>> _generations = new(StringComparer.Ordinal);
    readonly CacheMetrics.Instrument? _lookups;

    public IntrospectionCache(CacheMetrics? metrics = null) => _lookups = metrics?.For("introspection", () => (int)_entries.Count);

    sealed record Remembered(TokenEntry Entry, long Generation);

    public long GenerationOf(string tenant) => Volatile.Read(ref Generation(tenant).Value);

    /// <summary>Something changed the project's token entries: nothing remembered before now is used.</summary>
    public void Changed(string tenant) => Interlocked.Increment(ref Generation(tenant).Value);

    public TokenEntry? Find(string tenant, Guid id)
    {
        var entry = _entries.TryGetValue((tenant, id), out Remembered? remembered) && remembered!.Generation == GenerationOf(tenant)
            ? remembered.Entry
            : null;
        _lookups?.Count(entry is not null);
        return entry;
    }

    /// <summary>Remembers an entry read after <paramref name="generation"/> was current.</summary>
    public void Remember(string tenant, Guid id, TokenEntry entry, long generation) =>
        _entries.Set((tenant, id), new Remembered(entry, generation),
            new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });

    StrongBox<long> Generation(string tenant) => _generations.GetOrAdd(tenant, static _ => new StrongBox<long>());

    public void Dispose() => _entries.Dispose();

    /// <summary>Bumps the project's generation after any commit that updated or deleted token entries.</summary>
    public sealed class ChangeListener(IntrospectionCache cache) : DocumentSessionListenerBase
    {
        public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
        {
            if (commit.Updated.OfType<TokenEntry>().Any() || commit.Deleted.Any(d => d.DocumentType == typeof(TokenEntry)))
                cache.Changed(session.TenantId);
            return Task.CompletedTask;
        }
    }
}
