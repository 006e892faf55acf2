using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Marten;
using Npgsql;

namespace Latchkey.ControlPlane.Projects;

/// <summary>
/// The control plane's writes to projects. Every change commits in one transaction and is then announced,
/// so each replica of every service drops what it cached about the project.
/// </summary>
internal sealed class ProjectStore(
    IDocumentStore store,
    RedisConnection redis,
    ProjectDirectory directory,
    ApiKeyDirectory apiKeys,
    TimeProvider clock,
    ILogger<ProjectStore> logger)
{
    const int SlugAttempts = 5;

    public async Task<IReadOnlyList<StoredProject>> ListAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<StoredProject>()
            .Where(p => p.WorkspaceId == workspaceId && p.State == ProjectState.Running)
            .OrderBy(p => p.CreatedAt)
            .ToListAsync(ct);
    }

    public async Task<StoredProject?> FindAsync(Guid workspaceId, Guid id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return Owned(await session.LoadAsync<StoredProject>(id, ct), workspaceId);
    }

    /// <summary>
    /// Creates a running project with the default OAuth2 config. Its signing keys are made by the oauth2
    /// service on first use, so the project answers at its issuer as soon as this returns.
    /// </summary>
    public async Task<StoredProject> CreateAsync(Guid workspaceId, string name, string environment, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var project = new StoredProject
            {
                Id = Guid.NewGuid(),
                WorkspaceId = workspaceId,
                Slug = ProjectSlug.Generate(),
                Name = name,
                Environment = environment,
                State = ProjectState.Running,
                Revision = 1,
                OAuth2 = new OAuth2Config(),
                CreatedAt = now,
                UpdatedAt = now,
            };
            await using var session = store.LightweightSession();
            session.Insert(project);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception ex) when (attempt < SlugAttempts && IsUniqueViolation(ex))
            {
                // ~51 random bits make this all but impossible, but a slug must never be shared.
                logger.LogWarning("Slug {Slug} is taken; generating another.", project.Slug);
                continue;
            }
            await AnnounceAsync(project.Id);
            return project;
        }
    }

    /// <summary>
    /// Changes a project under its row lock: <paramref name="change"/> edits the loaded project or returns why
    /// it cannot. Nothing is saved on error; an edit that changes nothing saves nothing and keeps the revision.
    /// </summary>
    public async Task<(StoredProject? Project, OryError? Error)> UpdateAsync(
        Guid workspaceId, Guid id, Func<StoredProject, OryError?> change, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var project = await LockAsync(session, workspaceId, id, ct);
        if (project is null) return (null, ControlPlaneErrors.ProjectNotFound);

        var (name, config) = (project.Name, project.OAuth2);
        var error = change(project);
        if (error is not null) return (null, error);
        if (project.Name == name && project.OAuth2 == config) return (project, null);

        project.Revision++;
        project.UpdatedAt = clock.GetUtcNow();
        session.Update(project);
        await session.SaveChangesAsync(ct);
        await AnnounceAsync(project.Id);
        return (project, null);
    }

    /// <summary>Marks the project deleted and deletes its API keys; its host stops answering once the change is announced.</summary>
    public async Task<bool> DeleteAsync(Guid workspaceId, Guid id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var project = await LockAsync(session, workspaceId, id, ct);
        if (project is null) return false;

        project.State = ProjectState.Deleted;
        project.Revision++;
        project.UpdatedAt = clock.GetUtcNow();
        session.Update(project);
        var keyIds = await session.Query<ApiKey>().Where(k => k.ProjectId == id).Select(k => k.Id).ToListAsync(ct);
        session.DeleteWhere<ApiKey>(k => k.ProjectId == id);
        await session.SaveChangesAsync(ct);

        // The project's tenant data in the oauth2 service (clients, grants, tokens, flows, signing keys)
        // is not touched here: nothing can reach it once the project is deleted, and oauth2's janitor
        // (`janitor --projects`) deletes it later.
        await AnnounceAsync(id);
        apiKeys.ForgetAll();
        foreach (var keyId in keyIds) await ApiKeyDirectory.AnnounceRevokedAsync(redis, keyId);
        return true;
    }

    /// <summary>
    /// Starts the session's transaction and locks the project's row until it commits, so concurrent changes to
    /// one project (patches, deletion, new API keys) run one after another and none overwrites another.
    /// </summary>
    public static async Task<StoredProject?> LockAsync(IDocumentSession session, Guid workspaceId, Guid id, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var rows = await session.QueryAsync<StoredProject>("where id = ? for update", ct, id);
        return Owned(rows.Count > 0 ? rows[0] : null, workspaceId);
    }

    /// <summary>The project if it is live and the workspace's; another workspace's project is as absent as a missing one.</summary>
    public static StoredProject? Owned(StoredProject? project, Guid workspaceId) =>
        project is { State: ProjectState.Running } && project.WorkspaceId == workspaceId ? project : null;

    async Task AnnounceAsync(Guid projectId)
    {
        directory.Forget(projectId);
        await ProjectDirectory.AnnounceAsync(redis, projectId);
    }

    static bool IsUniqueViolation(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        }
        return false;
    }
}
