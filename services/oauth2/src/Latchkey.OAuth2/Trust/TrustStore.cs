using Latchkey.OAuth2.Storage;
using Marten;

namespace Latchkey.OAuth2.Trust;

/// <summary>
/// A project's jwt-bearer trust relationships (Hydra's <c>trust.GrantManager</c>). Every read and write goes through
/// the request's <see cref="UnitOfWork"/>, bound to its project.
/// </summary>
public sealed class TrustStore(UnitOfWork work)
{
    /// <summary>
    /// Inserts the relationship; false when the project already trusts this (issuer, subject, kid). Two concurrent
    /// inserts of the same triple both pass the check, and the unique index refuses the second (a 409 as well).
    /// </summary>
    public async Task<bool> CreateAsync(TrustedIssuer trust, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(trust);
        if (await work.Session.Query<TrustedIssuer>()
                .AnyAsync(t => t.Issuer == trust.Issuer && t.Subject == trust.Subject && t.KeyId == trust.KeyId, ct))
            return false;
        work.Session.Insert(trust);
        await work.SaveChangesAsync(ct);
        return true;
    }

    public Task<TrustedIssuer?> FindAsync(Guid id, CancellationToken ct) => work.Session.LoadAsync<TrustedIssuer>(id, ct);

    /// <summary>A page of relationships ordered by creation, optionally only those of one issuer.</summary>
    /// <param name="page">Zero-based.</param>
    public async Task<(IReadOnlyList<TrustedIssuer> Items, long Total)> ListAsync(string? issuer, int pageSize, int page, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(page);
        IQueryable<TrustedIssuer> query = work.Session.Query<TrustedIssuer>().Stats(out var stats);
        if (!string.IsNullOrEmpty(issuer)) query = query.Where(t => t.Issuer == issuer);
        var items = await query.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Skip(checked(page * pageSize)).Take(pageSize).ToListAsync(ct);
        return (items, stats.TotalResults);
    }

    /// <summary>False when the project has no such relationship.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        if (!await work.Session.Query<TrustedIssuer>().AnyAsync(t => t.Id == id, ct)) return false;
        work.Session.Delete<TrustedIssuer>(id);
        await work.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// The unexpired relationships that may vouch for an assertion of <paramref name="issuer"/> about
    /// <paramref name="subject"/>: those naming the subject and those allowing any, with the key <paramref name="keyId"/>
    /// (every key of theirs when the assertion names none, as fosite tries them all).
    /// </summary>
    public async Task<IReadOnlyList<TrustedIssuer>> FindForAssertionAsync(
        string issuer, string subject, string? keyId, DateTimeOffset now, CancellationToken ct)
    {
        var query = work.Session.Query<TrustedIssuer>()
            .Where(t => t.Issuer == issuer && (t.Subject == subject || t.AllowAnySubject) && t.ExpiresAt > now);
        if (!string.IsNullOrEmpty(keyId)) query = query.Where(t => t.KeyId == keyId);
        // A relationship naming the subject comes before one allowing any: its scope is the more specific.
        return await query.OrderBy(t => t.AllowAnySubject).ThenBy(t => t.CreatedAt).Take(20).ToListAsync(ct);
    }
}
