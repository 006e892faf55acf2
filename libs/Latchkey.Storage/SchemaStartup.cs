using JasperFx;
using Latchkey.ServiceDefaults;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Latchkey.Storage;

/// <summary>
/// What a store does to the schema at start-up, from <see cref="PlatformSettings.AutoMigrate"/>: apply every
/// change (development, <c>make run</c>), or issue no DDL at all (production: <see cref="SchemaMigration"/> ran
/// beforehand, and the services' database user has no right to change the schema).
/// </summary>
public static class SchemaStartup
{
    /// <summary>
    /// Lets Marten create missing tables on first use only when auto-migrating. Register it with
    /// <c>ConfigureMarten</c>, so it has the last word over the store's own configuration.
    /// </summary>
    public static void Configure(IServiceProvider services, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.AutoCreateSchemaObjects = services.GetRequiredService<PlatformSettings>().AutoMigrate
            ? AutoCreate.CreateOrUpdate
            : AutoCreate.None;
    }

    /// <summary>
    /// Applies the whole schema of <typeparamref name="TStore"/> before any other hosted service starts, when
    /// auto-migrating; Marten's <c>ApplyAllDatabaseChangesOnStartup()</c> cannot be switched off by a setting.
    /// </summary>
    public static IServiceCollection ApplySchemaOnStartup<TStore>(this IServiceCollection services) where TStore : class, IDocumentStore
    {
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, Activator<TStore>>());
        return services;
    }

    sealed class Activator<TStore>(TStore store, NpgsqlDataSource dataSource, PlatformSettings settings) : IHostedService
        where TStore : IDocumentStore
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (settings.AutoMigrate) await SchemaMigration.ApplyAsync(dataSource, store, TextWriter.Null, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
