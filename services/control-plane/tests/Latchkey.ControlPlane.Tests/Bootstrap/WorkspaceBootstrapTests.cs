using Latchkey.ControlPlane.Bootstrap;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Latchkey.ControlPlane.Tests.Bootstrap;

/// <summary>Each test on a database of its own: what the bootstrap does depends on whether any workspace key exists.</summary>
public sealed class WorkspaceBootstrapTests : IAsyncLifetime
{
    readonly ControlPlaneFixture _fixture = new();
    readonly string _state = Path.Combine(Path.GetTempPath(), "latchkey-bootstrap-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _fixture.DisposeAsync();
        if (Directory.Exists(_state)) Directory.Delete(_state, recursive: true);
    }

    WorkspaceBootstrap Bootstrap(string environment, string? configuredKey)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WorkspaceBootstrap.KeySetting] = configuredKey })
            .Build();
        return new WorkspaceBootstrap(
            _fixture.Get<IDocumentStore>(),
            _fixture.Get<SecretHasher>(),
            _fixture.Get<PlatformSettings>() with { StateDirectory = _state },
            config,
            new HostingEnvironment { EnvironmentName = environment },
            _fixture.Clock,
            NullLogger<WorkspaceBootstrap>.Instance);
    }

    async Task<IReadOnlyList<ApiKey>> WorkspaceKeysAsync()
    {
        await using var session = _fixture.Get<IDocumentStore>().QuerySession();
        return await session.Query<ApiKey>().Where(k => k.Kind == ApiKeyKind.Workspace).ToListAsync();
    }

    [Fact]
    public async Task StartAsync_ConfiguredKeyInProduction_StoresItsHashAndWritesNoFile()
    {
        var key = Secrets.Generate(Secrets.WorkspaceKeyPrefix);

        await Bootstrap(Environments.Production, key).StartAsync(CancellationToken.None);

        var stored = Assert.Single(await WorkspaceKeysAsync());
        Assert.Contains(stored.Hash, _fixture.Get<SecretHasher>().Candidates(key));
        Assert.False(Directory.Exists(_state));
    }

    [Fact]
    public async Task StartAsync_NoKeyAnywhereInProduction_RefusesNamingTheSettingAndWritesNothing()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Bootstrap(Environments.Production, configuredKey: null).StartAsync(CancellationToken.None));

        Assert.Contains(WorkspaceBootstrap.KeySetting, refused.Message, StringComparison.Ordinal);
        Assert.Empty(await WorkspaceKeysAsync());
        Assert.False(Directory.Exists(_state));
    }

    [Fact]
    public async Task StartAsync_NoKeyAnywhereInDevelopment_WritesANewKeyToTheStateDirectory()
    {
        await Bootstrap(Environments.Development, configuredKey: null).StartAsync(CancellationToken.None);

        var written = File.ReadAllText(Path.Combine(_state, WorkspaceBootstrap.KeyFileName)).Trim();
        var stored = Assert.Single(await WorkspaceKeysAsync());
        Assert.Contains(stored.Hash, _fixture.Get<SecretHasher>().Candidates(written));
    }

    [Fact]
    public async Task StartAsync_KeyExistsInProduction_StartsWithoutConfiguredKey()
    {
        await Bootstrap(Environments.Production, Secrets.Generate(Secrets.WorkspaceKeyPrefix)).StartAsync(CancellationToken.None);

        await Bootstrap(Environments.Production, configuredKey: null).StartAsync(CancellationToken.None);

        Assert.Single(await WorkspaceKeysAsync());
    }
}
