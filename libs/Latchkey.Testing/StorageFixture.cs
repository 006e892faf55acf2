using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.Testing;

/// <summary>
/// <c>AddLatchkeyStorage()</c> over a fresh database and the test Redis, as a service wires it minus HTTP, with
/// a <see cref="FakeTimeProvider"/> as the one clock. A test project adds its service's registrations in
/// <see cref="Register"/>; the schema is applied at start-up as the services do.
/// </summary>
public class StorageFixture : IAsyncLifetime
{
    readonly PostgresFixture _postgres = new();
    readonly RedisFixture _redis = new();
    ServiceProvider? _services;

    public FakeTimeProvider Clock { get; } = new();

    public ServiceProvider Services => _services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public string DatabaseUrl => _postgres.ConnectionString;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await _redis.InitializeAsync();
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LATCHKEY_DATABASE_URL"] = _postgres.ConnectionString,
                ["LATCHKEY_REDIS_URL"] = _redis.ConnectionString,
                ["LATCHKEY_PUBLIC_URL"] = "http://localtest.me:4430",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(PlatformSettings.From(config));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging();
        services.AddLatchkeyStorage(ConfigureSchema);
        Register(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
    }

    /// <summary>The service's own documents and tables, as its schema registry adds them to the platform's.</summary>
    protected virtual void ConfigureSchema(StoreOptions options)
    {
    }

    /// <summary>The service's own registrations on top of storage.</summary>
    protected virtual void Register(IServiceCollection services)
    {
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async Task DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
