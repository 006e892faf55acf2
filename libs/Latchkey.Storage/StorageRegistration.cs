using JasperFx;
using Latchkey.ServiceDefaults;
using Latchkey.Storage.DataProtection;
using Latchkey.Storage.Usage;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;

namespace Latchkey.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// The platform's store (<see cref="ConfigurePlatformSchema"/>, plus what <paramref name="configure"/> adds:
    /// a service's own documents), Redis, the project and API-key directories, and a readiness check on the database.
    /// </summary>
    public static IServiceCollection AddLatchkeyStorage(this IServiceCollection services, Action<StoreOptions>? configure = null)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(sp.GetRequiredService<PlatformSettings>().DatabaseUrl);
            // Nothing here sets session state, so the DISCARD ALL Npgsql sends when a connection returns to
            // the pool is a wasted round trip on every token.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            return builder.Build();
        });
        services.AddMarten(sp =>
            {
                var options = new StoreOptions();
                options.Connection(sp.GetRequiredService<NpgsqlDataSource>());
                ConfigurePlatformSchema(options);
                configure?.Invoke(options);
                return options;
            })
            .UseLightweightSessions();
        services.ConfigureMarten(SchemaStartup.Configure);
        services.ApplySchemaOnStartup<IDocumentStore>();
        services.AddSingleton<SecretHasher>();
        services.AddSingleton<RedisConnection>();
        // IMeterFactory for CacheMetrics (a web host has it already; a bare container, e.g. a test's, does not).
        services.AddMetrics();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<ProjectDirectory>();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<IReadinessCheck, DatabaseReadiness>();
        return services;
    }

    /// <summary>
    /// Every document and table the services share in schema <c>latchkey</c>: projects, API keys, workspaces
    /// the usage tables and the data-protection key rings. With a service's own additions it is all a migration applies
    /// (<c>Storage.ApplyAllConfiguredChangesToDatabaseAsync()</c>); nothing is left to be created lazily.
    /// </summary>
    public static void ConfigurePlatformSchema(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DatabaseSchemaName = "latchkey";
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.SnakeCase);
        // The alias keeps the table name the document had as Project.
        options.Schema.For<StoredProject>().DocumentAlias("project").UniqueIndex(p => p.Slug).Index(p => p.WorkspaceId);
        options.Schema.For<ApiKey>().UniqueIndex(k => k.Hash).Index(k => k.ProjectId);
        options.Schema.For<Workspace>();
        foreach (var table in UsageSchema.Tables()) options.Storage.ExtendedSchemaObjects.Add(table);
        options.Storage.ExtendedSchemaObjects.Add(DataProtectionKeys.TableOf());
    }

    sealed class DatabaseReadiness(NpgsqlDataSource dataSource) : IReadinessCheck
    {
        public async Task<bool> IsReadyAsync(CancellationToken ct)
        {
            try
            {
                await using var command = dataSource.CreateCommand("select 1");
                await command.ExecuteScalarAsync(ct);
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }
    }
}
