using Latchkey.Tenancy;
using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>The only way oauth2 code opens sessions: always bound to the current request's project.</summary>
public sealed class ProjectSessions(IOAuth2Store store, IProjectContext project)
{
    public IQuerySession Query() => store.QuerySession(project.Project.TenantId);

    public IDocumentSession Open() => store.LightweightSession(project.Project.TenantId);

    public string TenantId => project.Project.TenantId;
}
