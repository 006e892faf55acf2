using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Storage;
using Marten;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// A project's OAuth2 clients: the queries of Hydra's admin API, and OpenIddict's application store as a
/// view of the same document. OpenIddict sees Hydra's fields through its own vocabulary (client type from
/// <c>token_endpoint_auth_method</c>, consent type from <c>skip_consent</c>, permissions from grant types,
/// response types, scope and audience); the setters map back what has a Hydra equivalent and refuse the rest.
/// Every read and write goes through the request's <see cref="UnitOfWork"/>, bound to its project, so no method
/// can see another project's clients.
/// </summary>
public sealed class ClientStore(UnitOfWork work, ClientCache cache, RedisConnection redis, TimeProvider clock) : IOpenIddictApplicationStore<StoredClient>
{
    /// <summary>Hydra does not restrict endpoints per client: every client may use every endpoint.</summary>
    static readonly ImmutableArray<string> EndpointPermissions =
    [
        Permissions.Endpoints.Authorization,
        Permissions.Endpoints.DeviceAuthorization,
        Permissions.Endpoints.EndSession,
        Permissions.Endpoints.Introspection,
        Permissions.Endpoints.PushedAuthorization,
        Permissions.Endpoints.Revocation,
        Permissions.Endpoints.Token,
    ];

    /// <summary>
    /// The clients this request has looked up: OpenIddict and our handlers read the client of a token request about six
    /// times (authentication, grant and method checks, the grant, the access-token strategy), the cache once.
    /// </summary>
    readonly Dictionary<string, StoredClient?> _found = new(StringComparer.Ordinal);

    /// <summary>
    /// The client, through <see cref="ClientCache"/>: the instance every request shares, so the caller must not change
    /// it. To change a client and save it, take <see cref="FindForUpdateAsync"/>'s copy.
    /// </summary>
    public ValueTask<StoredClient?> FindAsync(string clientId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientId)) return ValueTask.FromResult<StoredClient?>(null);
        if (_found.TryGetValue(clientId, out var found)) return ValueTask.FromResult(found);
        var lookup = cache.GetOrLoadAsync(work.TenantId, clientId, token => LoadAsync(clientId, token), ct);
        return lookup.IsCompletedSuccessfully ? ValueTask.FromResult(_found[clientId] = lookup.Result) : RememberAsync(clientId, lookup);
    }

    async ValueTask<StoredClient?> RememberAsync(string clientId, ValueTask<StoredClient?> lookup) => _found[clientId] = await lookup;

    /// <summary>The client as a copy of its own, for a caller that changes it and then saves it with <see cref="UpdateAsync"/>.</summary>
    public async ValueTask<StoredClient?> FindForUpdateAsync(string clientId, CancellationToken ct) =>
        await FindAsync(clientId, ct) is { } client ? ClientCache.Copy(client) : null;

    /// <summary>A page of clients ordered by creation, optionally only those with this exact name and/or owner.</summary>
    /// <param name="page">Zero-based.</param>
    public async Task<ClientPage> ListAsync(int pageSize, int page, string? clientName, string? owner, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfNegative(page);

        IQueryable<StoredClient> query = work.Session.Query<StoredClient>().Stats(out var stats);
        if (!string.IsNullOrEmpty(clientName)) query = query.Where(c => c.ClientName == clientName);
        if (!string.IsNullOrEmpty(owner)) query = query.Where(c => c.Owner == owner);
        var items = await query
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Skip(checked(page * pageSize)).Take(pageSize)
            .ToListAsync(ct);
        return new ClientPage(items, stats.TotalResults);
    }

    /// <summary>Inserts the client; a client_id already used in this project throws <see cref="JasperFx.DocumentAlreadyExistsException"/>.</summary>
    public async ValueTask CreateAsync(StoredClient application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (application.CreatedAt == default) application.CreatedAt = clock.GetUtcNow();
        if (application.UpdatedAt == default) application.UpdatedAt = application.CreatedAt;

        work.Session.Insert(application);
        await work.SaveChangesAsync(cancellationToken);
        // A lookup just before the insert may have cached a miss.
        await AnnounceChangedAsync(application.Id);
    }

    /// <summary>
    /// Saves the client if nobody saved it since it was read (its <see cref="StoredClient.Version"/>); otherwise,
    /// or if it was deleted meanwhile, throws OpenIddict's <see cref="OpenIddictExceptions.ConcurrencyException"/>.
    /// </summary>
    public async ValueTask UpdateAsync(StoredClient application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);

        work.Session.Update(application);
        try
        {
            await work.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException ex)
        {
            throw new OpenIddictExceptions.ConcurrencyException($"The client '{application.Id}' was changed or deleted concurrently.", ex);
        }
        finally
        {
            await AnnounceChangedAsync(application.Id);
        }
    }

    public async ValueTask DeleteAsync(StoredClient application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        await DeleteAsync(application.Id, cancellationToken);
    }

    /// <summary>
    /// Deletes the client and, in the same transaction, its tokens (as Hydra's foreign keys do).
    /// Returns false if the project has no such client.
    /// </summary>
    public async Task<bool> DeleteAsync(string clientId, CancellationToken ct)
    {
        var session = work.Session;
        if (!await work.Session.Query<StoredClient>().AnyAsync(c => c.Id == clientId, ct)) return false;
        session.Delete<StoredClient>(clientId);
        session.DeleteWhere<TokenEntry>(t => t.ApplicationId == clientId);
        session.DeleteWhere<AuthorizationEntry>(a => a.ApplicationId == clientId);
        await work.SaveChangesAsync(ct);
        await AnnounceChangedAsync(clientId);
        return true;
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await work.Session.Query<StoredClient>().LongCountAsync(cancellationToken);

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<StoredClient>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        OpenIddictQueries.CountAsync(work.Session.Query<StoredClient>(), query, cancellationToken);

    public ValueTask<StoredClient?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        FindAsync(identifier, cancellationToken);

    public ValueTask<StoredClient?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) =>
        FindAsync(identifier, cancellationToken);

    public IAsyncEnumerable<StoredClient> FindByRedirectUriAsync(string uri, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        return OpenIddictQueries.StreamAsync(work.Session.Query<StoredClient>().Where(c => c.RedirectUris.Contains(uri)), cancellationToken);
    }

    public IAsyncEnumerable<StoredClient> FindByPostLogoutRedirectUriAsync(string uri, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        return OpenIddictQueries.StreamAsync(work.Session.Query<StoredClient>().Where(c => c.PostLogoutRedirectUris.Contains(uri)), cancellationToken);
    }

    public ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<StoredClient>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        OpenIddictQueries.GetAsync(work.Session.Query<StoredClient>(), query, state, cancellationToken);

    public IAsyncEnumerable<StoredClient> ListAsync(int? count, int? offset, CancellationToken cancellationToken) =>
        OpenIddictQueries.PageAsync(work.Session.Query<StoredClient>().OrderBy(c => c.CreatedAt).ThenBy(c => c.Id), count, offset, cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<StoredClient>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        OpenIddictQueries.ListAsync(work.Session.Query<StoredClient>(), query, state, cancellationToken);

    public ValueTask<StoredClient> InstantiateAsync(CancellationToken cancellationToken) => new(new StoredClient());

    public ValueTask<string?> GetIdAsync(StoredClient application, CancellationToken cancellationToken) => new(application.Id);

    public ValueTask<string?> GetClientIdAsync(StoredClient application, CancellationToken cancellationToken) => new(application.Id);

    /// <summary>The stored hash (<see cref="ClientSecrets"/>), never the secret.</summary>
    public ValueTask<string?> GetClientSecretAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(application.ClientSecretHash);

    public ValueTask<string?> GetClientTypeAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(application.IsPublic ? ClientTypes.Public : ClientTypes.Confidential);

    public ValueTask<string?> GetApplicationTypeAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(ApplicationTypes.Web);

    public ValueTask<string?> GetConsentTypeAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(application.SkipConsent ? ConsentTypes.Implicit : ConsentTypes.Explicit);

    public ValueTask<string?> GetDisplayNameAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(string.IsNullOrEmpty(application.ClientName) ? null : application.ClientName);

    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(ImmutableDictionary<CultureInfo, string>.Empty);

    public ValueTask<JsonWebKeySet?> GetJsonWebKeySetAsync(StoredClient application, CancellationToken cancellationToken) =>
        new((JsonWebKeySet?)null);

    public ValueTask<ImmutableArray<string>> GetPermissionsAsync(StoredClient application, CancellationToken cancellationToken)
    {
        var permissions = ImmutableArray.CreateBuilder<string>();
        permissions.AddRange(EndpointPermissions);
        permissions.AddRange(application.GrantTypes.Select(g => Permissions.Prefixes.GrantType + g));
        permissions.AddRange(application.ResponseTypes.Select(r => Permissions.Prefixes.ResponseType + r));
        permissions.AddRange(application.Scopes.Select(s => Permissions.Prefixes.Scope + s));
        permissions.AddRange(application.Audience.Select(a => Permissions.Prefixes.Audience + a));
        return new(permissions.ToImmutable());
    }

    public ValueTask<ImmutableArray<string>> GetRedirectUrisAsync(StoredClient application, CancellationToken cancellationToken) =>
        new([.. application.RedirectUris]);

    public ValueTask<ImmutableArray<string>> GetPostLogoutRedirectUrisAsync(StoredClient application, CancellationToken cancellationToken) =>
        new([.. application.PostLogoutRedirectUris]);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(ImmutableDictionary<string, JsonElement>.Empty);

    public ValueTask<ImmutableArray<string>> GetRequirementsAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(ImmutableArray<string>.Empty);

    public ValueTask<ImmutableDictionary<string, string>> GetSettingsAsync(StoredClient application, CancellationToken cancellationToken) =>
        new(ImmutableDictionary<string, string>.Empty);

    public ValueTask SetClientIdAsync(StoredClient application, string? identifier, CancellationToken cancellationToken)
    {
        application.Id = identifier ?? "";
        return default;
    }

    /// <summary>Expects the hash OpenIddict's manager (see <c>ClientManager</c>) made of the secret.</summary>
    public ValueTask SetClientSecretAsync(StoredClient application, string? secret, CancellationToken cancellationToken)
    {
        application.ClientSecretHash = secret;
        return default;
    }

    public ValueTask SetClientTypeAsync(StoredClient application, string? type, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case null:
                break;
            case ClientTypes.Public:
                application.TokenEndpointAuthMethod = "none";
                break;
            case ClientTypes.Confidential:
                if (application.IsPublic) application.TokenEndpointAuthMethod = "client_secret_basic";
                break;
            default:
                throw Unsupported("client type", type);
        }
        return default;
    }

    public ValueTask SetApplicationTypeAsync(StoredClient application, string? type, CancellationToken cancellationToken) =>
        type is null or ApplicationTypes.Web ? default : throw Unsupported("application type", type);

    public ValueTask SetConsentTypeAsync(StoredClient application, string? type, CancellationToken cancellationToken)
    {
        application.SkipConsent = type switch
        {
            null or ConsentTypes.Explicit => false,
            ConsentTypes.Implicit => true,
            _ => throw Unsupported("consent type", type),
        };
        return default;
    }

    public ValueTask SetDisplayNameAsync(StoredClient application, string? name, CancellationToken cancellationToken)
    {
        application.ClientName = name ?? "";
        return default;
    }

    public ValueTask SetDisplayNamesAsync(StoredClient application, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) =>
        names is not { Count: > 0 } ? default : throw Unsupported("localized display names");

    public ValueTask SetJsonWebKeySetAsync(StoredClient application, JsonWebKeySet? set, CancellationToken cancellationToken) =>
        set is null ? default : throw Unsupported("client JSON Web Key Sets");

    /// <summary>Maps grant type, response type, scope and audience permissions back; endpoint permissions are implied.</summary>
    public ValueTask SetPermissionsAsync(StoredClient application, ImmutableArray<string> permissions, CancellationToken cancellationToken)
    {
        List<string> grants = [], responses = [], scopes = [], audiences = [];
        foreach (var permission in permissions.IsDefault ? [] : permissions)
        {
            if (Strip(permission, Permissions.Prefixes.GrantType) is { } grant) grants.Add(grant);
            else if (Strip(permission, Permissions.Prefixes.ResponseType) is { } response) responses.Add(response);
            else if (Strip(permission, Permissions.Prefixes.Scope) is { } scope) scopes.Add(scope);
            else if (Strip(permission, Permissions.Prefixes.Audience) is { } audience) audiences.Add(audience);
            else if (!permission.StartsWith(Permissions.Prefixes.Endpoint, StringComparison.Ordinal)) throw Unsupported("permission", permission);
        }
        application.GrantTypes = grants;
        application.ResponseTypes = responses;
        application.Scope = string.Join(' ', scopes);
        application.Audience = audiences;
        return default;

        static string? Strip(string value, string prefix) =>
            value.StartsWith(prefix, StringComparison.Ordinal) ? value[prefix.Length..] : null;
    }

    public ValueTask SetRedirectUrisAsync(StoredClient application, ImmutableArray<string> uris, CancellationToken cancellationToken)
    {
        application.RedirectUris = uris.IsDefault ? [] : [.. uris];
        return default;
    }

    public ValueTask SetPostLogoutRedirectUrisAsync(StoredClient application, ImmutableArray<string> uris, CancellationToken cancellationToken)
    {
        application.PostLogoutRedirectUris = uris.IsDefault ? [] : [.. uris];
        return default;
    }

    public ValueTask SetPropertiesAsync(StoredClient application, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        properties is not { Count: > 0 } ? default : throw Unsupported("application properties");

    public ValueTask SetRequirementsAsync(StoredClient application, ImmutableArray<string> requirements, CancellationToken cancellationToken) =>
        requirements.IsDefaultOrEmpty ? default : throw Unsupported("application requirements");

    public ValueTask SetSettingsAsync(StoredClient application, ImmutableDictionary<string, string> settings, CancellationToken cancellationToken) =>
        settings is not { Count: > 0 } ? default : throw Unsupported("application settings");

    async Task<StoredClient?> LoadAsync(string clientId, CancellationToken ct)
    {
        return await work.Session.LoadAsync<StoredClient>(clientId, ct);
    }

    async Task AnnounceChangedAsync(string clientId)
    {
        _found.Remove(clientId);
        cache.Invalidate(work.TenantId, clientId);
        await ClientCache.AnnounceChangedAsync(redis, work.TenantId, clientId);
    }

    static NotSupportedException Unsupported(string what, string? value = null) =>
        new($"Latchkey clients have no {what}{(value is null ? "" : $" '{value}'")}: they follow Hydra's client model.");
}
