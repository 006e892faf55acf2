using System.Runtime.CompilerServices;
using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// The query methods every OpenIddict store has in the same form (count, get, list, a page), over the
/// project's documents a store passes in. OpenIddict's result type is unconstrained, Marten's async operators
/// are annotated <c>notnull</c>; the annotation is all that differs. Each store still implements OpenIddict's
/// interface method by method and only delegates here.
/// </summary>
static class OpenIddictQueries
{
    public static async ValueTask<long> CountAsync<T, TResult>(IQueryable<T> all, Func<IQueryable<T>, IQueryable<TResult>> query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
#pragma warning disable CS8714
        return await QueryableExtensions.LongCountAsync(query(all), ct);
#pragma warning restore CS8714
    }

    public static async ValueTask<TResult?> GetAsync<T, TState, TResult>(
        IQueryable<T> all, Func<IQueryable<T>, TState, IQueryable<TResult>> query, TState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
#pragma warning disable CS8714
        return await QueryableExtensions.FirstOrDefaultAsync(query(all, state), ct);
#pragma warning restore CS8714
    }

    public static IAsyncEnumerable<TResult> ListAsync<T, TState, TResult>(
        IQueryable<T> all, Func<IQueryable<T>, TState, IQueryable<TResult>> query, TState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return StreamAsync(query(all, state), ct);
    }

    /// <summary>OpenIddict's <c>ListAsync(count, offset)</c>: a page of <paramref name="ordered"/>, all of it without bounds.</summary>
    public static IAsyncEnumerable<T> PageAsync<T>(IQueryable<T> ordered, int? count, int? offset, CancellationToken ct)
    {
        if (offset.HasValue) ordered = ordered.Skip(offset.Value);
        if (count.HasValue) ordered = ordered.Take(count.Value);
        return StreamAsync(ordered, ct);
    }

    /// <summary>Reads the whole result in one round trip, then hands it out: OpenIddict's stores return async streams.</summary>
    public static async IAsyncEnumerable<TResult> StreamAsync<TResult>(IQueryable<TResult> query, [EnumeratorCancellation] CancellationToken ct)
    {
#pragma warning disable CS8714
        var results = await QueryableExtensions.ToListAsync(query, ct);
#pragma warning restore CS8714
        foreach (var result in results) yield return result;
    }
}
