using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The production start-up: <c>migrate</c> of oauth2 and the control plane on a fresh database, then every
/// service with <c>LATCHKEY_AUTO_MIGRATE=false</c> as a role that may read and write rows but not change the schema.
/// </summary>
public sealed class MigratedPlatformFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string OAuth2 = "Latchkey.OAuth2.dll";
    public const string ControlPlane = "Latchkey.ControlPlane.dll";

    readonly string _role = $"lk_app_{Guid.NewGuid():N}";
    readonly List<MigrateProcess> _firstRuns = [];

    public MigratedPlatformFixture() => Platform = new PlatformFixture
    {
        PrepareDatabase = MigrateAndRestrictAsync,
        ExtraArgs = ["--LATCHKEY_AUTO_MIGRATE=false"],
    };

    public PlatformFixture Platform { get; }

    /// <summary>The first migrate of each service, in order: oauth2, then the control plane.</summary>
    public IReadOnlyList<MigrateProcess> FirstRuns => _firstRuns;

    /// <summary>The connection string the services were given: the restricted role's.</summary>
    public string AppDatabaseUrl { get; private set; } = "";

    async Task<string> MigrateAndRestrictAsync(string ownerUrl)
    {
        _firstRuns.Add(await MigrateProcess.RunAsync(OAuth2, ownerUrl));
        _firstRuns.Add(await MigrateProcess.RunAsync(ControlPlane, ownerUrl));
        await ExecuteAsync(ownerUrl, $"""
            create role {_role} login;
            grant usage on schema latchkey, oauth2 to {_role};
            grant select, insert, update, delete on all tables in schema latchkey, oauth2 to {_role};
            grant usage, select on all sequences in schema latchkey, oauth2 to {_role};
            grant execute on all functions in schema latchkey, oauth2 to {_role};
            """);
        AppDatabaseUrl = new NpgsqlConnectionStringBuilder(ownerUrl) { Username = _role, Password = null }.ConnectionString;
        return AppDatabaseUrl;
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task InitializeAsync() => Platform.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        // Roles belong to the server, not the test database: drop this one, or every run leaves one behind.
        if (AppDatabaseUrl.Length > 0)
            await ExecuteAsync(Platform.DatabaseUrl, $"drop owned by {_role}; drop role {_role};");
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
