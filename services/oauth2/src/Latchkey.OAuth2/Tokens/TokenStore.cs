using System.Collections.Immutable;
using System.Text.Json;
using Latchkey.OAuth2.Storage;
using Marten;
using Npgsql;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// OpenIddict's token store over a project's <see cref="TokenEntry"/> documents. The reference id OpenIddict
/// asks about is the stored <see cref="TokenEntry.Signature"/>. Updates are checked against the entry's version,
/// which is what makes redeeming a code or a refresh token a one-time act. Revoking and pruning are single
/// set-based statements, never a loop over rows. Reads and writes go through the request's <see cref="UnitOfWork"/>,
/// so inside a sign-in they are committed with it; <see cref="InsertAsync"/> alone writes on its own.
/// </summary>
public sealed class TokenStore(UnitOfWork work, IOAuth2Store store, TokenWriter writer, IntrospectionCache introspection) : IOpenIddictTokenStore<TokenEntry>
{
    /// <summary>Entries this request has read or written: validation reads an entry once, not three times.</summary>
    readonly Dictionary<Guid, TokenEntry> _seen = [];

    /// <summary>
    /// Writes a complete entry outside the unit of work, through <see cref="TokenWriter"/>: the entries of concurrent
    /// requests share one INSERT in autocommit, and this returns once the entry is committed. For a sign-in whose only
    /// write is this token (client credentials, the hottest write we have). It is the statement Marten itself issues
    /// for the document, on Marten's own table name; <c>TokenStoreTests</c> reads back what it writes through Marten,
    /// so a schema change cannot slip past. A signature already used in this project throws.
    /// </summary>
    public async Task InsertAsync(TokenEntry token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Id == Guid.Empty) token.Id = Guid.CreateVersion7();
        token.Version = Guid.NewGuid();
        await writer.WriteAsync(work.TenantId, token.Id, store.Options.Serializer().ToJson(token), token.Version).WaitAsync(ct);
        _seen[token.Id] = token;
    }

    public async Task<TokenEntry?> FindBySignatureAsync(string signature, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(signature)) return null;
        return await work.Session.Query<TokenEntry>().FirstOrDefaultAsync(t => t.Signature == signature, ct);
    }

    /// <summary>Queues the entry on the unit of work: inside a sign-in it is written with the sign-in's other writes.</summary>
    public async ValueTask CreateAsync(TokenEntry token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Id == Guid.Empty) token.Id = Guid.CreateVersion7();
        work.Session.Insert(token);
        await work.SaveChangesAsync(cancellationToken);
        _seen[token.Id] = token;
    }

    /// <summary>
    /// Saves the entry only if it has not changed since it was read; otherwise throws OpenIddict's
    /// <see cref="OpenIddictExceptions.ConcurrencyException"/>, which makes <c>TryRedeemAsync</c> and friends fail.
    /// Inside a sign-in (redeeming a code or refresh token) the version is checked when the sign-in commits.
    /// </summary>
    public async ValueTask UpdateAsync(TokenEntry token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        work.Session.Update(token);
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException ex)
        {
            _seen.Remove(token.Id);
            throw new OpenIddictExceptions.ConcurrencyException($"The token entry '{token.Id}' was changed or deleted concurrently.", ex);
        }
    }

    public async ValueTask DeleteAsync(TokenEntry token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        _seen.Remove(token.Id);
        work.Session.Delete<TokenEntry>(token.Id);
        await work.SaveChangesAsync(cancellationToken);
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await work.Session.Query<TokenEntry>().LongCountAsync(cancellationToken);

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<TokenEntry>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        OpenIddictQueries.CountAsync(work.Session.Query<TokenEntry>(), query, cancellationToken);

    public IAsyncEnumerable<TokenEntry> FindAsync(
        string? subject, string? client, string? status, string? type, CancellationToken cancellationToken)
    {
        IQueryable<TokenEntry> query = work.Session.Query<TokenEntry>();
        if (!string.IsNullOrEmpty(subject)) query = query.Where(t => t.Subject == subject);
        if (!string.IsNullOrEmpty(client)) query = query.Where(t => t.ApplicationId == client);
        if (!string.IsNullOrEmpty(status)) query = query.Where(t => t.Status == status);
        if (!string.IsNullOrEmpty(type)) query = query.Where(t => t.Type == type);
        return OpenIddictQueries.StreamAsync(query, cancellationToken);
    }

    public IAsyncEnumerable<TokenEntry> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return OpenIddictQueries.StreamAsync(work.Session.Query<TokenEntry>().Where(t => t.ApplicationId == identifier), cancellationToken);
    }

    public IAsyncEnumerable<TokenEntry> FindByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return OpenIddictQueries.StreamAsync(work.Session.Query<TokenEntry>().Where(t => t.AuthorizationId == identifier), cancellationToken);
    }

    public IAsyncEnumerable<TokenEntry> FindBySubjectAsync(string subject, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return OpenIddictQueries.StreamAsync(work.Session.Query<TokenEntry>().Where(t => t.Subject == subject), cancellationToken);
    }

    public ValueTask<TokenEntry?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        Guid.TryParse(identifier, out var id) ? FindByIdAsync(id, cancellationToken) : ValueTask.FromResult<TokenEntry?>(null);

    public async ValueTask<TokenEntry?> FindByIdAsync(Guid id, CancellationToken ct)
    {
        if (_seen.TryGetValue(id, out var seen)) return seen;
        var entry = await work.Session.LoadAsync<TokenEntry>(id, ct);
        if (entry is not null) _seen[id] = entry;
        return entry;
    }

    /// <summary>OpenIddict's reference id is our <see cref="TokenEntry.Signature"/>.</summary>
    public async ValueTask<TokenEntry?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) =>
        await FindBySignatureAsync(identifier, cancellationToken);

    public ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<TokenEntry>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        OpenIddictQueries.GetAsync(work.Session.Query<TokenEntry>(), query, state, cancellationToken);

    public IAsyncEnumerable<TokenEntry> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        OpenIddictQueries.PageAsync(work.Session.Query<TokenEntry>().OrderBy(t => t.CreationDate).ThenBy(t => t.Id), count, offset, cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<TokenEntry>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        OpenIddictQueries.ListAsync(work.Session.Query<TokenEntry>(), query, state, cancellationToken);

    /// <summary>
    /// Deletes, in batches, the project's entries created before <paramref name="threshold"/> that are no longer
    /// usable: expired, or in any status but valid and inactive. Returns how many were deleted.
    /// </summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken)
    {
        _seen.Clear();
        return await StoreSql.PruneAsync<TokenEntry>(work.Session, $$"""
            coalesce(d.data ->> 'status', '') not in ('{{Statuses.Valid}}', '{{Statuses.Inactive}}')
            or (d.data ->> 'expiration_date')::timestamptz < now()
            """, threshold, cancellationToken);
    }

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.RevokeFilters(subject, client, status, type), cancellationToken);

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.Only("application_id", identifier), cancellationToken);

    public ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.Only("authorization_id", identifier), cancellationToken);

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        RevokeWhereAsync(StoreSql.Only("subject", subject), cancellationToken);

    public ValueTask<TokenEntry> InstantiateAsync(CancellationToken cancellationToken) => new(new TokenEntry());

    public ValueTask<string?> GetIdAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.Id.ToString());

    public ValueTask<string?> GetApplicationIdAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.ApplicationId);

    public ValueTask<string?> GetAuthorizationIdAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.AuthorizationId);

    public ValueTask<DateTimeOffset?> GetCreationDateAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.CreationDate);

    public ValueTask<DateTimeOffset?> GetExpirationDateAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.ExpirationDate);

    public ValueTask<DateTimeOffset?> GetRedemptionDateAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.RedemptionDate);

    public ValueTask<string?> GetPayloadAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.Payload);

    public ValueTask<string?> GetReferenceIdAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.Signature);

    public ValueTask<string?> GetStatusAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.Status);

    public ValueTask<string?> GetSubjectAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.Subject);

    public ValueTask<string?> GetTypeAsync(TokenEntry token, CancellationToken cancellationToken) => new(token.Type);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(TokenEntry token, CancellationToken cancellationToken) =>
        new(StoreSql.ParseProperties(token.Properties));

    public ValueTask SetApplicationIdAsync(TokenEntry token, string? identifier, CancellationToken cancellationToken)
    {
        token.ApplicationId = string.IsNullOrEmpty(identifier) ? null : identifier;
        return default;
    }

    public ValueTask SetAuthorizationIdAsync(TokenEntry token, string? identifier, CancellationToken cancellationToken)
    {
        token.AuthorizationId = string.IsNullOrEmpty(identifier) ? null : identifier;
        return default;
    }

    public ValueTask SetCreationDateAsync(TokenEntry token, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        token.CreationDate = date?.ToUniversalTime();
        return default;
    }

    public ValueTask SetExpirationDateAsync(TokenEntry token, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        token.ExpirationDate = date?.ToUniversalTime();
        return default;
    }

    public ValueTask SetRedemptionDateAsync(TokenEntry token, DateTimeOffset? date, CancellationToken cancellationToken)
    {
        token.RedemptionDate = date?.ToUniversalTime();
        return default;
    }

    public ValueTask SetPayloadAsync(TokenEntry token, string? payload, CancellationToken cancellationToken)
    {
        token.Payload = payload;
        return default;
    }

    public ValueTask SetReferenceIdAsync(TokenEntry token, string? identifier, CancellationToken cancellationToken)
    {
        token.Signature = identifier;
        return default;
    }

    public ValueTask SetStatusAsync(TokenEntry token, string? status, CancellationToken cancellationToken)
    {
        token.Status = status;
        return default;
    }

    public ValueTask SetSubjectAsync(TokenEntry token, string? subject, CancellationToken cancellationToken)
    {
        token.Subject = subject;
        return default;
    }

    public ValueTask SetTypeAsync(TokenEntry token, string? type, CancellationToken cancellationToken)
    {
        token.Type = type;
        return default;
    }

    public ValueTask SetPropertiesAsync(TokenEntry token, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken)
    {
        token.Properties = StoreSql.SerializeProperties(properties);
        return default;
    }

    async ValueTask<long> RevokeWhereAsync(IReadOnlyList<(string Field, string Value)> filters, CancellationToken ct)
    {
        _seen.Clear();
        var revoked = await StoreSql.RevokeWhereAsync<TokenEntry>(work.Session, filters, ct);
        introspection.Changed(work.TenantId);
        return revoked;
    }
}
