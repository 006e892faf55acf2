using Latchkey.Tenancy;
using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// How oauth2 opens Marten sessions: always on the current request's project, so no session can see another
/// project's rows. Registered for <see cref="IOAuth2Store"/> with <c>BuildSessionsWith</c> (scoped); the
/// request's <see cref="UnitOfWork"/> opens its one session here.
/// </summary>
public sealed class ProjectSessionFactory(IOAuth2Store store, IProjectContext project) : ISessionFactory
{
    /// <summary>The tenant every session from here is bound to, known without opening one.</summary>
    public string TenantId => project.Project.TenantId;

    public IQuerySession QuerySession() => store.QuerySession(project.Project.TenantId);

    public IDocumentSession OpenSession() => store.LightweightSession(project.Project.TenantId);
}
