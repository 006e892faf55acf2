using JasperFx;
using Latchkey.ServiceDefaults;
using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Weasel.Core;

namespace Latchkey.Storage;

/// <summary>
/// <c>dotnet Latchkey.&lt;Service&gt;.dll migrate</c>, like <c>hydra migrate sql</c>: applies every schema object
/// of the service's stores, as the service configures them, prints each change and exits. Settings are the
/// service's own (<c>LATCHKEY_DATABASE_URL</c>, or <c>--LATCHKEY_DATABASE_URL=…</c>). Running it again applies
/// nothing. Exit code 0 when the schema is up to date, 1 when the database cannot be reached or refuses a change.
/// </summary>
public static class SchemaMigration
{
    public const string Command = "migrate";

    /// <summary>
    /// The advisory lock every schema change of every service takes: replicas starting with
    /// <c>LATCHKEY_AUTO_MIGRATE</c> and a concurrent <c>migrate</c> wait for each other instead of racing.
    /// </summary>
    const long LockId = 7_402_317_001;

    public static bool IsCommand(string[] args) => args is [Command, ..];

    /// <param name="args">The command line, starting with <see cref="Command"/>.</param>
    /// <param name="stores">Each store's whole configuration, as the service builds it.</param>
    public static async Task<int> RunAsync(string[] args, IReadOnlyList<Action<StoreOptions>> stores, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
        var databaseUrl = PlatformSettings.From(config).DatabaseUrl;
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(databaseUrl);
            foreach (var configure in stores)
            {
                var options = new StoreOptions();
                options.Connection(dataSource);
                configure(options);
                using var store = new DocumentStore(options);
                await ApplyAsync(dataSource, store, output, CancellationToken.None);
            }
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or MartenSchemaException)
        {
            // Marten wraps a refused change (e.g. no right to create a schema) with the whole DDL script;
            // PostgreSQL's own message says what was refused.
            var why = ex.GetBaseException() is PostgresException refused ? refused.Message : ex.Message;
            var target = new NpgsqlConnectionStringBuilder(databaseUrl);
            await error.WriteLineAsync($"migrate: database {target.Database} at {target.Host}:{target.Port} as {target.Username}: {why}");
            return 1;
        }
    }

    /// <summary>Applies every change <paramref name="store"/>'s configuration needs, under <see cref="LockId"/>, and prints each.</summary>
    internal static async Task ApplyAsync(NpgsqlDataSource dataSource, IDocumentStore store, TextWriter output, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var take = new NpgsqlCommand($"select pg_advisory_lock({LockId})", connection))
            await take.ExecuteNonQueryAsync(ct);
        try
        {
            var migration = await store.Storage.Database.CreateMigrationAsync(ct);
            var changes = migration.Deltas.Where(d => d.Difference != SchemaPatchDifference.None).ToList();
            foreach (var delta in changes)
                await output.WriteLineAsync($"{delta.Difference.ToString().ToLowerInvariant()} {delta.SchemaObject.Identifier}");
            if (changes.Count > 0) await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(AutoCreate.CreateOrUpdate);
            await output.WriteLineAsync(changes.Count == 0
                ? $"schema {store.Options.DatabaseSchemaName}: up to date"
                : $"schema {store.Options.DatabaseSchemaName}: {changes.Count} change(s) applied");
        }
        finally
        {
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock({LockId})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
