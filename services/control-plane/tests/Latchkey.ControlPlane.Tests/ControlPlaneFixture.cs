using Latchkey.ControlPlane.Accounts;
using Latchkey.ControlPlane.ApiKeys;
using Latchkey.ControlPlane.Projects;
using Latchkey.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Latchkey.ControlPlane.Tests;

/// <summary>The control plane's stores over a fresh database, registered as <see cref="ControlPlaneApp"/> does.</summary>
public sealed class ControlPlaneFixture : StorageFixture
{
    protected override void ConfigureSchema(StoreOptions options) => ControlPlaneSchema.Configure(options);

    protected override void Register(IServiceCollection services)
    {
        services.AddSingleton<ProjectStore>();
        services.AddSingleton<ApiKeyStore>();
        SignInFailures.Register(services);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<AccountStore>(sp));
    }
}

[CollectionDefinition(Name)]
public sealed class ControlPlaneCollection : ICollectionFixture<ControlPlaneFixture>
{
    public const string Name = "control-plane";
}
