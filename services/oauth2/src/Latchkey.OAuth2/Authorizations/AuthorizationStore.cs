using System.Collections.Immutable;
using System.Text.Json;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Marten;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Authorizations;

/// <summary>
/// OpenIddict's authorization store over a project's <see cref="AuthorizationEntry"/> documents. Updates are
/// checked against the entry's version, so a stale copy cannot undo a revocation. Revoking and pruning are
/// single set-based statements, never a loop over rows. Reads and writes go through the request's <see cref="UnitOfWork"/>,
/// so the ad-hoc authorization of a sign-in is committed with the sign-in.
/// </summary>
public sealed class AuthorizationStore(UnitOfWork work, IOAuth2Store store) : IOpenIddictAuthorizationStore<AuthorizationEntry>
{
    public async ValueTask CreateAsync(AuthorizationEntry authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        if (authorization.Id == Guid.Empty) authorization.Id = Guid.CreateVersion7();
        work.Session.Insert(authorization);
        await work.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the entry only if it has not changed since it was read; otherwise, or if it was deleted meanwhile,
    /// throws OpenIddict's <see cref="OpenIddictExceptions.ConcurrencyException"/>.
    /// </summary>
    public async ValueTask UpdateAsync(AuthorizationEntry authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        work.Session.Update(authorization);
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException ex)
        {
            throw new OpenIddictExceptions.ConcurrencyException($"The authorization '{authorization.Id}' was changed or deleted concurrently.", ex);
        }
    }

    /// <summary>Deletes the entry and, in the same transaction, the tokens it covers (as OpenIddict's own stores do).</summary>
    public async ValueTask DeleteAsync(AuthorizationEntry authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var id = authorization.Id.ToString();
        work.Session.Delete<AuthorizationEntry>(authorization.Id);
        work.Session.DeleteWhere<TokenEntry>(t => t.AuthorizationId == id);
        await work.SaveChangesAsync(cancellationToken);
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await work.Session.Query<AuthorizationEntry>().LongCountAsync(cancellationToken);

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<AuthorizationEntry>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        OpenIddictQueries.CountAsync(work.Session.Query<AuthorizationEntry>(), query, cancellationToken);

    /// <summary>The entries matching every filter given; <paramref name="scopes"/> are the least each must hold.</summary>
    public IAsyncEnumerable<AuthorizationEntry> FindAsync(
        string? subject, string? client, string? status, string? type, ImmutableArray<string>? scopes, CancellationToken cancellationToken)
    {
        IQueryable<AuthorizationEntry> query = work.Session.Query<AuthorizationEntry>();
        if (!string.IsNullOrEmpty(subject)) query = query.Where(a => a.Subject == subject);
        if (!string.IsNullOrEmpty(client)) query = query.Where(a => a.ApplicationId == client);
        if (!string.IsNullOrEmpty(status)) query = query.Where(a => a.Status == status);
        if (!string.IsNullOrEmpty(type)) query = query.Where(a => a.Type == type);
        if (scopes is { IsDefaultOrEmpty: false } required)
        {
            foreach (var scope in required.Distinct(StringComparer.Ordinal)) query = query.Where(a => a.Scopes.Contains(scope));
        }
        return OpenIddictQueries.StreamAsync(query, cancellationToken);
    }

    public IAsyncEnumerable<AuthorizationEntry> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return OpenIddictQueries.StreamAsync(work.Session.Query<AuthorizationEntry>().Where(a => a.ApplicationId == identifier), cancellationToken);
    }

    public async ValueTask<AuthorizationEntry?> FindByIdAsync(string identifier, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(identifier, out var id)) return null;
        return await work.Session.LoadAsync<AuthorizationEntry>(id, cancellationToken);
    }

    public IAsyncEnumerable<AuthorizationEntry> FindBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return OpenIddictQueries.StreamAsync(work.Session.Query<AuthorizationEntry>().Where(a => a.Subject == subject), cancellationToken);
    }

    public ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<AuthorizationEntry>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        OpenIddictQueries.GetAsync(work.Session.Query<AuthorizationEntry>(), query, state, cancellationToken);

    public IAsyncEnumerable<AuthorizationEntry> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        OpenIddictQueries.PageAsync(work.Session.Query<AuthorizationEntry>().OrderBy(a => a.CreationDate).ThenBy(a => a.Id), count, offset, cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<AuthorizationEntry>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        OpenIddictQueries.ListAsync(work.Session.Query<AuthorizationEntry>(), query, state, cancellationToken);

    /// <summary>
    /// Deletes, in batches, the project's entries created before <paramref name="threshold"/> that no longer
    /// grant anything: those in any status but valid, and ad-hoc ones none of whose tokens is still valid
    /// (tokens are pruned first, so by then most have none left). Returns how many were deleted.
    /// </summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) =>
        await StoreSql.PruneAsync<AuthorizationEntry>(work.Session, $$"""
            coalesce(d.data ->> 'status', '') <> '{{Statuses.Valid}}'
            or (d.data ->> 'type' = '{{AuthorizationTypes.AdHoc}}' and not exists (
                select 1 from {{OAuth2Schema.TableOf<TokenEntry>(store)}} t
                where t.tenant_id = d.tenant_id
                  and t.data ->> 'authorization_id' = d.id::text
                  and t.data ->> 'status' = '{{Statuses.Valid}}'))
            """, threshold, cancellationToken);

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.RevokeFilters(subject, client, status, type), cancellationToken);

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.Only("application_id", identifier), cancellationToken);

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.Only("subject", subject), cancellationToken);

    public ValueTask<AuthorizationEntry> InstantiateAsync(CancellationToken cancellationToken) => new(new AuthorizationEntry());

    public ValueTask<string?> GetIdAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) => new(authorization.Id.ToString());

    public ValueTask<string?> GetApplicationIdAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) => new(authorization.ApplicationId);

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) => new(authorization.CreationDate);

    public ValueTask<ImmutableArray<string>> GetScopesAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) =>
        new([.. authorization.Scopes]);

    public ValueTask<string?> GetStatusAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) => new(authorization.Status);

    public ValueTask<string?> GetSubjectAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) => new(authorization.Subject);

    public ValueTask<string?> GetTypeAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) => new(authorization.Type);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(AuthorizationEntry authorization, CancellationToken cancellationToken) =>
        new(StoreSql.ParseProperties(authorization.Properties));

    public ValueTask SetApplicationIdAsync(AuthorizationEntry authorization, string? identifier, CancellationToken cancellationToken)
    {
        authorization.ApplicationId = string.IsNullOrEmpty(identifier) ? null : identifier;
        return default;
    }

    public ValueTask SetCreationDateAsync(AuthorizationEntry authorization, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        authorization.CreationDate = date?.ToUniversalTime();
        return default;
    }

    public ValueTask SetScopesAsync(AuthorizationEntry authorization, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        authorization.Scopes = scopes.IsDefault ? [] : [.. scopes.Where(s => !string.IsNullOrEmpty(s))];
        return default;
    }

    public ValueTask SetStatusAsync(AuthorizationEntry authorization, string? status, CancellationToken cancellationToken)
    {
        authorization.Status = status;
        return default;
    }

    public ValueTask SetSubjectAsync(AuthorizationEntry authorization, string? subject, CancellationToken cancellationToken)
    {
        authorization.Subject = subject;
        return default;
    }

    public ValueTask SetTypeAsync(AuthorizationEntry authorization, string? type, CancellationToken cancellationToken)
    {
        authorization.Type = type;
        return default;
    }

    public ValueTask SetPropertiesAsync(AuthorizationEntry authorization, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken)
    {
        authorization.Properties = StoreSql.SerializeProperties(properties);
        return default;
    }

    async ValueTask<long> RevokeWhereAsync(IReadOnlyList<(string Field, string Value)> filters, CancellationToken ct)
    {
        return await StoreSql.RevokeWhereAsync<AuthorizationEntry>(work.Session, filters, ct);
    }
}
