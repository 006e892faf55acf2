using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.OAuth2.Trust;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>A request scope of a new project, with every store as that request resolves it.</summary>
public sealed class ProjectScope(AsyncServiceScope scope, ProjectInfo project) : IAsyncDisposable
{
    public ProjectInfo Project => project;
    public IServiceProvider Services => scope.ServiceProvider;

    public ClientStore Clients => Get<ClientStore>();
    public TokenStore Tokens => Get<TokenStore>();
    public AuthorizationStore Authorizations => Get<AuthorizationStore>();
    public FlowStore Flows => Get<FlowStore>();
    public LoginSessions LoginSessions => Get<LoginSessions>();
    public HostedUsers HostedUsers => Get<HostedUsers>();
    public Latchkey.OAuth2.Device.DeviceStore Devices => Get<Latchkey.OAuth2.Device.DeviceStore>();
    public ProjectKeyRing Keys => Get<ProjectKeyRing>();
    public UnitOfWork Work => Get<UnitOfWork>();
    public TrustStore Trusts => Get<TrustStore>();
    public AssertionJtis Jtis => Get<AssertionJtis>();

    /// <summary>A request of a new project, or another request of <paramref name="project"/>.</summary>
    public static ProjectScope Open(IServiceProvider services, ProjectInfo? project = null)
    {
        project ??= TestProjectContext.NewProject();
        return new ProjectScope(OAuth2StorageFixture.ScopeFor(services, project), project);
    }

    T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
