using JasperFx;
using Latchkey.ControlPlane;
using Latchkey.OAuth2.Storage;
using Latchkey.Storage;
using Latchkey.Testing;
using Marten;
using Npgsql;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary>
/// A fresh database of its own, migrated as the chart's Job does (oauth2, then the control plane), for one
/// janitor test: the janitor sweeps every project at once, so a shared database would mix tests' counts.
/// </summary>
public sealed class JanitorDatabase : IAsyncDisposable
{
    public required NpgsqlDataSource DataSource { get; init; }
    public required string ConnectionString { get; init; }

    /// <summary>The oauth2 store (conjoined by project) and the platform store with the control plane's documents.</summary>
    public required DocumentStore OAuth2 { get; init; }
    public required DocumentStore Platform { get; init; }

    public static async Task<JanitorDatabase> CreateAsync()
    {
        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        var failed = new StringWriter();
        var migrated = await SchemaMigration.RunAsync(
            ["migrate", $"--LATCHKEY_DATABASE_URL={postgres.ConnectionString}"], [.. OAuth2Migration.Stores, .. ControlPlaneMigration.Stores], TextWriter.Null, failed);
        if (migrated != 0) throw new InvalidOperationException(failed.ToString());
        var dataSource = NpgsqlDataSource.Create(postgres.ConnectionString);
        return new JanitorDatabase
        {
            DataSource = dataSource,
            ConnectionString = postgres.ConnectionString,
            OAuth2 = Store(dataSource, OAuth2Migration.Stores[1]),
            Platform = Store(dataSource, ControlPlaneMigration.Stores[0]),
        };
    }

    static DocumentStore Store(NpgsqlDataSource dataSource, Action<StoreOptions> configure)
    {
        var options = new StoreOptions();
        options.Connection(dataSource);
        configure(options);
        options.AutoCreateSchemaObjects = AutoCreate.None;
        return new DocumentStore(options);
    }

    public Janitor Janitor() => new(DataSource, OAuth2, Platform, TimeProvider.System);

    public string Tokens => OAuth2Schema.TableOf<OAuth2.Tokens.TokenEntry>(OAuth2);

    /// <summary>
    /// <paramref name="count"/> access tokens of one project in one statement (INSERT … SELECT generate_series),
    /// shaped as Marten stores a <see cref="OAuth2.Tokens.TokenEntry"/>.
    /// </summary>
    public async Task InsertTokensAsync(string tenant, int count, DateTimeOffset expiresAt, string status = "valid", DateTimeOffset? createdAt = null)
    {
        await using var command = DataSource.CreateCommand($"""
            insert into {Tokens} (tenant_id, id, data, mt_dotnet_type)
            select $1, s.id, jsonb_build_object(
                    'id', s.id, 'application_id', 'web', 'subject', 'alice', 'type', 'access_token', 'status', $2::text,
                    'creation_date', $3::timestamptz, 'expiration_date', $4::timestamptz, 'signature', 'sig-' || s.id::text),
                'Latchkey.OAuth2.Tokens.TokenEntry'
            from (select gen_random_uuid() as id from generate_series(1, $5)) s
            """);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(status);
        command.Parameters.AddWithValue((createdAt ?? expiresAt.AddHours(-1)).UtcDateTime);
        command.Parameters.AddWithValue(expiresAt.UtcDateTime);
        command.Parameters.AddWithValue(count);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows of <paramref name="table"/>, of one project when <paramref name="tenant"/> is given.</summary>
    public async Task<long> CountAsync(string table, string? tenant = null, string column = "tenant_id")
    {
        await using var command = DataSource.CreateCommand(tenant is null ? $"select count(*) from {table}" : $"select count(*) from {table} where {column} = $1");
        if (tenant is not null) command.Parameters.AddWithValue(tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        OAuth2.Dispose();
        Platform.Dispose();
        await DataSource.DisposeAsync();
    }
}
