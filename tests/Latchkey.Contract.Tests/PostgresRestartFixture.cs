using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A platform of its own on a PostgreSQL server of its own (<see cref="RestartablePostgres"/>), which the test may
/// restart. Nothing else runs on it: the control plane answers one request 500 on a connection the restart broke,
/// which must not reach other tests.
/// </summary>
public sealed class PostgresRestartFixture : IAsyncLifetime, IAsyncDisposable
{
    public PostgresRestartFixture() => Platform = new PlatformFixture { PostgresServer = Postgres.StartAsync };

    public RestartablePostgres Postgres { get; } = RestartablePostgres.Create();

    public PlatformFixture Platform { get; }

    public Task InitializeAsync() => Platform.InitializeAsync();

    public async Task DisposeAsync()
    {
        try
        {
            await Platform.DisposeAsync();
        }
        finally
        {
            await Postgres.DisposeAsync();
        }
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
