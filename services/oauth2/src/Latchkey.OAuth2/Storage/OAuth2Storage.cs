using JasperFx;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tokens;
using Latchkey.Storage;
using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenIddict.Abstractions;

namespace Latchkey.OAuth2.Storage;

public static class OAuth2Storage
{
    /// <summary>
    /// The oauth2 documents (<see cref="OAuth2Schema"/>), the request's <see cref="UnitOfWork"/> over them, and
    /// the stores that use it. Needs <c>AddLatchkeyStorage()</c> (its <see cref="NpgsqlDataSource"/> and Redis connection)
    /// and a scoped <see cref="Tenancy.IProjectContext"/>.
    /// </summary>
    public static IServiceCollection AddOAuth2Storage(this IServiceCollection services)
    {
        services.AddMartenStore<IOAuth2Store>(sp =>
            {
                var options = new StoreOptions();
                options.Connection(sp.GetRequiredService<NpgsqlDataSource>());
                OAuth2Schema.Configure(options);
                options.Listeners.Add(new IntrospectionCache.ChangeListener(sp.GetRequiredService<IntrospectionCache>()));
                return options;
            })
            .BuildSessionsWith<ProjectSessionFactory>(ServiceLifetime.Scoped);
        services.ConfigureMarten<IOAuth2Store>(SchemaStartup.Configure);
        services.ApplySchemaOnStartup<IOAuth2Store>();

        services.TryAddScoped<UnitOfWork>();
        services.TryAddScoped<ClientStore>();
        services.TryAddScoped<TokenStore>();
        services.TryAddSingleton<TokenWriter>();
        services.TryAddSingleton<IntrospectionCache>();
        services.TryAddScoped<AuthorizationStore>();
        services.TryAddScoped<Trust.TrustStore>();
        services.TryAddScoped<Trust.AssertionJtis>();
        services.TryAddSingleton<ClientCache>();
        services.TryAddSingleton<ClientSecrets>();
        return services;
    }

    /// <summary>
    /// Makes <see cref="ClientStore"/>, <see cref="AuthorizationStore"/> and <see cref="TokenStore"/> OpenIddict's
    /// application, authorization and token stores.
    /// OpenIddict's own entity cache is keyed without the project, so it is turned off: <see cref="ClientCache"/>
    /// is the project-aware cache.
    /// </summary>
    public static OpenIddictCoreBuilder UseLatchkeyStores(this OpenIddictCoreBuilder builder)
    {
        builder
            .SetDefaultApplicationEntity<StoredClient>()
            .SetDefaultAuthorizationEntity<AuthorizationEntry>()
            .SetDefaultTokenEntity<TokenEntry>()
            .ReplaceApplicationStore<StoredClient, ClientStore>(ServiceLifetime.Scoped)
            .ReplaceAuthorizationStore<AuthorizationEntry, AuthorizationStore>(ServiceLifetime.Scoped)
            .ReplaceTokenStore<TokenEntry, TokenStore>(ServiceLifetime.Scoped)
            .DisableEntityCaching();
        // One TokenStore per request, shared by OpenIddict and our handlers, so an entry read to validate
        // a token is not read again by OpenIddict's checks in the same request.
        builder.Services.Replace(ServiceDescriptor.Scoped<IOpenIddictTokenStore<TokenEntry>>(sp => sp.GetRequiredService<TokenStore>()));
        return builder;
    }
}
