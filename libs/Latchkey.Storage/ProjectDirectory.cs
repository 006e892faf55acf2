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
    readonly InvalidatingCache<string, ProjectInfo> _bySlug;
    readonly InvalidatingCache<Guid, ProjectInfo> _byId;

    /// <summary>Raised with the project id when a project changed or was deleted (here or on another replica).</summary>
    public event Action<Guid>? Changed;

    public ProjectDirectory(IDocumentStore store, RedisConnection redis, TimeProvider clock, CacheMetrics? metrics = null)
    {
        _store = store;
        _bySlug = new(clock, Positive, Negative, metrics: metrics, name: "projects_by_slug");
        _byId = new(clock, Positive, Negative, metrics: metrics, name: "projects_by_id");
        redis.Subscribe(ChangedChannel, message =>
        {
            if (Guid.TryParse(message, out var id)) Forget(id);
            else _bySlug.Clear();
        });
    }

    public ValueTask<ProjectInfo?> FindBySlugAsync(string slug, CancellationToken ct) =>
        _bySlug.GetOrLoadAsync(slug, async token =>
        {
            await using var session = _store.QuerySession();
            var project = await session.Query<StoredProject>().FirstOrDefaultAsync(p => p.Slug == slug && p.State == ProjectState.Running, token);
            return project?.ToInfo();
        }, ct);

    public ValueTask<ProjectInfo?> FindByIdAsync(Guid id, CancellationToken ct) =>
        _byId.GetOrLoadAsync(id, async token =>
        {
            await using var session = _store.QuerySession();
            var project = await session.LoadAsync<StoredProject>(id, token);
            return project is { State: ProjectState.Running } ? project.ToInfo() : null;
        }, ct);

    /// <summary>Drops what is cached about a project, in this process only; <see cref="AnnounceAsync"/> reaches every replica.</summary>
    public void Forget(Guid id)
    {
        _byId.Invalidate(id);
        // A cached miss may be the slug a new project just took.
        _bySlug.InvalidateWhere((_, project) => project is null || project.Id == id);
        Changed?.Invoke(id);
    }

    /// <summary>Tells every replica the project changed, and returns once they have all dropped it (or after half a second).</summary>
    public static Task AnnounceAsync(RedisConnection redis, Guid projectId) =>
        redis.PublishAndWaitAsync(ChangedChannel, projectId.ToString(), TimeSpan.FromMilliseconds(500));
}
