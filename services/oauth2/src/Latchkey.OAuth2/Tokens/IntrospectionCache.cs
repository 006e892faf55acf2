using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Latchkey.Storage;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Caching.Memory;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// Introspection answers for opaque tokens, kept in this process for up to one second: a resource server that
/// introspects the same token on every call costs one read and one payload decryption per second instead of one per
/// call. An answer is looked up only for a token whose HMAC verified, by the entry id that signature gives, and used
/// only for a token with the same type prefix. What keeps it correct:
/// <list type="bullet">
/// <item>On this replica, a change is seen at once: every commit that updates or deletes a project's entries (revoking,
/// redeeming, rotating; <see cref="ChangeListener"/>) and every set-based revocation bumps the project's generation,
/// and an entry remembered under an older generation is not used. The generation is read before the database is,
/// so a read that raced a change is remembered under the generation before it.</item>
/// <item>On other replicas, a change is seen within the entry's lifetime, one second.</item>
/// <item>Only an active answer is remembered, never past the token's expiry, and only introspection uses them: grants
/// that redeem or rotate a token always read the database, where the one-time checks are.</item>
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

    /// <summary>An active token's answer: Hydra's JSON as sent, the scopes a request's <c>scope</c> is checked against.</summary>
    public sealed record Answer(string Prefix, byte[] Json, IReadOnlySet<string> Scopes);

    sealed record Remembered(Answer Answer, long Generation);

    public long GenerationOf(string tenant) => Volatile.Read(ref Generation(tenant).Value);

    /// <summary>Something changed the project's token entries: nothing remembered before now is used.</summary>
    public void Changed(string tenant) => Interlocked.Increment(ref Generation(tenant).Value);

    /// <summary>The answer remembered for the token with this entry id, if it is current and <paramref name="token"/> has its type.</summary>
    public Answer? Find(string tenant, Guid id, string token)
    {
        var answer = _entries.TryGetValue((tenant, id), out Remembered? remembered) && remembered!.Generation == GenerationOf(tenant)
            && token.StartsWith(remembered.Answer.Prefix, StringComparison.Ordinal)
            ? remembered.Answer
            : null;
        _lookups?.Count(answer is not null);
        return answer;
    }

    /// <summary>Remembers an answer worked out after <paramref name="generation"/> was current, until <paramref name="until"/> at the latest.</summary>
    public void Remember(string tenant, Guid id, Answer answer, long generation, TimeSpan until)
    {
        var lifetime = until < Lifetime ? until : Lifetime;
        if (lifetime <= TimeSpan.Zero) return;
        _entries.Set((tenant, id), new Remembered(answer, generation),
            new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
    }

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
