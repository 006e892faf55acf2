using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Storage;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Latchkey.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary>
/// The oauth2 storage registrations against a fresh database, as the service wires them, minus HTTP:
/// platform settings, logging, the clock, <c>AddLatchkeyStorage()</c>, <c>AddOAuth2Storage()</c>, the other stores
/// and OpenIddict's core on <c>UseLatchkeyStores()</c>; the project comes from <see cref="TestProjectContext"/>.
/// </summary>
public sealed class OAuth2StorageFixture : IAsyncLifetime
{
    readonly PostgresFixture _postgres = new();
    readonly RedisFixture _redis = new();
    ServiceProvider? _services;

    public ServiceProvider Services => _services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await _redis.InitializeAsync();
        _services = BuildReplica();
        // Applies the oauth2 schema as the service does at start-up.
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
    }

    /// <summary>
    /// Another instance of the service's storage over the same database and Redis, as a second replica has; or,
    /// with <paramref name="redisUrl"/>, another Redis (one nothing listens on: a replica that misses every
    /// announcement), and with <paramref name="clock"/> a clock of its own.
    /// </summary>
    public ServiceProvider BuildReplica(string? redisUrl = null, TimeProvider? clock = null)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LATCHKEY_DATABASE_URL"] = _postgres.ConnectionString,
                ["LATCHKEY_REDIS_URL"] = redisUrl ?? _redis.ConnectionString,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(PlatformSettings.From(config));
        // The one clock, as AddLatchkeyDefaults registers it in the service.
        services.AddSingleton(clock ?? TimeProvider.System);
        services.AddLogging();
        services.AddLatchkeyStorage();
        services.AddOAuth2Storage();
        // The stores the service registers with its server and hosted UI.
        services.AddScoped<FlowStore>();
        services.AddScoped<LoginSessions>();
        services.AddScoped<HostedUsers>();
        services.AddScoped<Latchkey.OAuth2.Device.DeviceStore>();
        services.AddSingleton<KeyDerivation>();
        services.AddSingleton<ProjectKeyRing>();
        services.AddOpenIddict().AddCore(core => core.UseLatchkeyStores());
        services.AddScoped<TestProjectContext>();
        services.AddScoped<IProjectContext>(sp => sp.GetRequiredService<TestProjectContext>());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>A request scope acting for the project.</summary>
    public AsyncServiceScope ScopeFor(ProjectInfo project) => ScopeFor(Services, project);

    public static AsyncServiceScope ScopeFor(IServiceProvider services, ProjectInfo project)
    {
        var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestProjectContext>().Use(project);
        return scope;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
