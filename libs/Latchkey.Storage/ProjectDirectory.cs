using System.Collections.Concurrent;
using Latchkey.Tenancy;
using Marten;

namespace Latchkey.Storage;

/// <summary>
/// Finds live projects by slug or id, from memory on the hot path. Entries live briefly and are dropped
/// at once when the control plane announces a change on <see cref="ChangedChannel"/>, so a new project
/// answers as soon as it is created and a deleted one stops answering.
/// </summary>
public sealed class ProjectDirectory
{
    public const string ChangedChannel = "lk:projects:changed";

    static readonly TimeSpan Positive = TimeSpan.FromSeconds(30);
    static readonly TimeSpan Negative = TimeSpan.FromSeconds(1);

    readonly IDocumentStore _store;
    readonly ConcurrentDictionary<string, (ProjectInfo? Project, DateTime Until)> _bySlug = new();
    readonly ConcurrentDictionary<Guid, (ProjectInfo? Project, DateTime Until)> _byId = new();

    /// <summary>Raised with the project id when a project changed or was deleted (here or on another replica).</summary>
    public event Action<Guid>? Changed;

    public ProjectDirectory(IDocumentStore store, RedisConnection redis)
    {
        _store = store;
        redis.Subscribe(ChangedChannel, message =>
        {
            if (Guid.TryParse(message, out var id)) Forget(id);
            else _bySlug.Clear();
        });
    }

    public async ValueTask<ProjectInfo?> FindBySlugAsync(string slug, CancellationToken ct)
    {
        if (_bySlug.TryGetValue(slug, out var hit) && hit.Until > DateTime.UtcNow) return hit.Project;
        await using var session = _store.QuerySession();
        var project = await session.Query<StoredProject>().FirstOrDefaultAsync(p => p.Slug == slug && p.State == ProjectState.Running, ct);
        return Remember(slug, project?.ToInfo());
    }

    public async ValueTask<ProjectInfo?> FindByIdAsync(Guid id, CancellationToken ct)
    {
        if (_byId.TryGetValue(id, out var hit) && hit.Until > DateTime.UtcNow) return hit.Project;
        await using var session = _store.QuerySession();
        var project = await session.LoadAsync<StoredProject>(id, ct);
        return project is { State: ProjectState.Running } ? Remember(project.Slug, project.ToInfo()) : null;
    }

    /// <summary>Drops what is cached about a project, in this process only; <see cref="AnnounceAsync"/> reaches every replica.</summary>
    public void Forget(Guid id)
    {
        if (_byId.TryRemove(id, out var entry) && entry.Project is not null) _bySlug.TryRemove(entry.Project.Slug, out _);
        foreach (var (slug, value) in _bySlug)
        {
            if (value.Project is null || value.Project.Id == id) _bySlug.TryRemove(slug, out _);
        }
        Changed?.Invoke(id);
    }

    public static Task AnnounceAsync(RedisConnection redis, Guid projectId) =>
        redis.PublishAsync(ChangedChannel, projectId.ToString());

    ProjectInfo? Remember(string slug, ProjectInfo? project)
    {
        var until = DateTime.UtcNow + (project is null ? Negative : Positive);
        _bySlug[slug] = (project, until);
        if (project is not null) _byId[project.Id] = (project, until);
        return project;
    }
}
