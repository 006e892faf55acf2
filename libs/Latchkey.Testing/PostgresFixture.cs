using Testcontainers.PostgreSql;
using Xunit;

namespace Latchkey.Testing;

/// <summary>
/// A fresh database on the server named by <c>LATCHKEY_TEST_POSTGRES</c> (an Npgsql connection string), or,
/// when that is not set, on a PostgreSQL container started for the fixture; or on the server <see cref="Server"/> starts.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    PostgreSqlContainer? _container;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Starts a server of the caller's own and returns its connection string; the caller stops it.</summary>
    public Func<Task<string>>? Server { get; set; }

    public async Task InitializeAsync()
    {
        var server = Server is { } start ? await start() : Environment.GetEnvironmentVariable("LATCHKEY_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            _container = new PostgreSqlBuilder("postgres:17-alpine").Build();
            await _container.StartAsync();
            server = _container.GetConnectionString();
        }
        ConnectionString = await TestDatabase.CreateAsync(server);
    }

    public async Task DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }
}
