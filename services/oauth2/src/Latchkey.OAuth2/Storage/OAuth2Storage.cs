using JasperFx;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Tokens;
using Latchkey.Storage;
using Marten;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenIddict.Abstractions;
using Weasel.Core;

namespace Latchkey.OAuth2.Storage;

public static class OAuth2Storage
{
    /// <summary>
    /// The oauth2 documents in schema <c>oauth2</c>, every one conjoined-tenanted by project, and the stores
    /// over them. Needs <c>AddLatchkeyStorage()</c> (its <see cref="NpgsqlDataSource"/> and Redis connection)
    /// and a scoped <see cref="Tenancy.IProjectContext"/>.
    /// </summary>
    public static IServiceCollection AddOAuth2Storage(this IServiceCollection services)
    {
        services.AddMartenStore<IOAuth2Store>(sp =>
            {
                var options = new StoreOptions();
                options.Connection(sp.GetRequiredService<NpgsqlDataSource>());
                options.DatabaseSchemaName = "oauth2";
                // TokenStore's set-based SQL names the JSON fields: keep them snake_case.
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.SnakeCase);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.Policies.AllDocumentsAreMultiTenanted();
                options.Advanced.DefaultTenantUsageEnabled = false;

                // The alias keeps the table name the document had as OAuth2Client.
                options.Schema.For<StoredClient>()
                    .DocumentAlias("oauth2client")
                    .UseOptimisticConcurrency(true)
                    .Metadata(m => m.Version.MapTo(c => c.Version))
                    .Index(c => c.CreatedAt, PerTenant);

                // One-time use of codes and refresh tokens rests on the version check of TokenEntry updates.
                options.Schema.For<TokenEntry>()
                    .UseOptimisticConcurrency(true)
                    .Metadata(m => m.Version.MapTo(t => t.Version))
                    .UniqueIndex(UniqueIndexType.Computed, "mt_doc_tokenentry_uidx_signature", TenancyScope.PerTenant, t => t.Signature!)
                    .Index(t => t.ApplicationId!, PerTenant)
                    .Index(t => t.AuthorizationId!, PerTenant)
                    .Index(t => t.Subject!, PerTenant);

                // A revocation bumps the version, so a stale authorization cannot be saved over it.
                options.Schema.For<AuthorizationEntry>()
                    .UseOptimisticConcurrency(true)
                    .Metadata(m => m.Version.MapTo(a => a.Version))
                    .Index(a => a.ApplicationId!, PerTenant)
                    .Index(a => a.Subject!, PerTenant);
                // Consent sessions and remembered consents are looked up by subject.
                options.Schema.For<LoginConsentFlow>().Index(f => f.Subject!, PerTenant);
                options.Schema.For<LoginSession>().Index(s => s.Subject, PerTenant);
                options.Schema.For<LogoutFlow>();
                options.Storage.ExtendedSchemaObjects.Add(AttemptCounter.TableOf(HostedUsers.AttemptsSchema, HostedUsers.AttemptsTable));
                return options;
            })
            .ApplyAllDatabaseChangesOnStartup();

        services.TryAddScoped<ProjectSessions>();
        services.TryAddScoped<SignInWrites>();
        services.TryAddScoped<ClientStore>();
        services.TryAddScoped<TokenStore>();
        services.TryAddScoped<AuthorizationStore>();
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


    /// <summary>Every lookup is within one project, so every index also covers the tenant id.</summary>
    static void PerTenant(ComputedIndex index) => index.TenancyScope = TenancyScope.PerTenant;
}
