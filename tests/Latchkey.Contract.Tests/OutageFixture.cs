using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>A platform of its own whose oauth2 service reaches PostgreSQL through a proxy the test can cut.</summary>
public sealed class OutageFixture : IAsyncLifetime, IAsyncDisposable
{
    TcpProxy? _proxy;

    public OutageFixture() => Platform = new PlatformFixture { OAuth2DatabaseUrl = Route };

    public PlatformFixture Platform { get; }

    public TcpProxy Database => _proxy ?? throw new InvalidOperationException("The platform has not started.");

    string Route(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _proxy = new TcpProxy(builder.Host!, builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = _proxy.Port;
        return builder.ConnectionString;
    }

    public Task InitializeAsync() => Platform.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        if (_proxy is not null) await _proxy.DisposeAsync();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
