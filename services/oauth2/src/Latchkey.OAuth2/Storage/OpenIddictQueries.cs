using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// Runs the queries OpenIddict hands its stores as <c>Func&lt;IQueryable&lt;T&gt;, …&gt;</c>. OpenIddict's result type
/// is unconstrained, Marten's async operators are annotated <c>notnull</c>; the annotation is all that differs.
/// </summary>
static class OpenIddictQueries
{
#pragma warning disable CS8714
    public static Task<long> LongCountAsync<T>(IQueryable<T> query, CancellationToken ct) =>
        QueryableExtensions.LongCountAsync(query, ct);

    public static Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken ct) =>
        QueryableExtensions.FirstOrDefaultAsync(query, ct);

    public static Task<IReadOnlyList<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken ct) =>
        QueryableExtensions.ToListAsync(query, ct);
#pragma warning restore CS8714
}
