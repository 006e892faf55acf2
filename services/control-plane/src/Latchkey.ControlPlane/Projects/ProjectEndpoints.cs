using System.Text.Json.Nodes;
using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Http;
using Latchkey.ServiceDefaults;
using Latchkey.ServiceDefaults.Patching;

namespace Latchkey.ControlPlane.Projects;

/// <summary>Ory Network's project API: <c>/projects</c> and <c>/projects/{id}</c>.</summary>
internal static class ProjectEndpoints
{
    public static RouteGroupBuilder MapProjects(this RouteGroupBuilder projects)
    {
        projects.MapPost("/", Create);
        projects.MapGet("/", List);
        projects.MapGet("/{id}", Get);
        projects.MapPatch("/{id}", Patch);
        projects.MapDelete("/{id}", Delete);
        return projects;
    }

    static async Task<IResult> Create(HttpContext http, ProjectStore store, PlatformSettings settings, CancellationToken ct)
    {
        var caller = WorkspaceCaller.Of(http);
        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (body is not JsonObject fields)
            return ControlPlaneErrors.NotAnObject("{\"name\": \"My project\", \"environment\": \"dev\"}").ToResult();

        if (Fields.Name(fields["name"], "name", out var name) is { } nameProblem)
            return ControlPlaneErrors.Invalid(nameProblem).ToResult();
        if (Fields.Environment(fields["environment"], out var environment) is { } environmentProblem)
            return ControlPlaneErrors.Invalid(environmentProblem).ToResult();

        var project = await store.CreateAsync(caller.WorkspaceId, name, environment, ct);
        return TypedResults.Created($"/projects/{project.Id}", ProjectJson.From(project, settings));
    }

    static async Task<IResult> List(HttpContext http, ProjectStore store, PlatformSettings settings, CancellationToken ct)
    {
        var projects = await store.ListAsync(WorkspaceCaller.Of(http).WorkspaceId, ct);
        return TypedResults.Ok(projects.Select(p => ProjectMetadataJson.From(p, settings)).ToList());
    }

    static async Task<IResult> Get(string id, HttpContext http, ProjectStore store, PlatformSettings settings, CancellationToken ct) =>
        Guid.TryParse(id, out var projectId) && await store.FindAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, ct) is { } project
            ? TypedResults.Ok(ProjectJson.From(project, settings))
            : ControlPlaneErrors.ProjectNotFound.ToResult();

    static async Task<IResult> Patch(string id, HttpContext http, ProjectStore store, PlatformSettings settings, CancellationToken ct)
    {
        var caller = WorkspaceCaller.Of(http);
        if (!Guid.TryParse(id, out var projectId)) return ControlPlaneErrors.ProjectNotFound.ToResult();

        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        var (operations, shapeError) = JsonPatch.Parse(body);
        if (operations is null) return ControlPlaneErrors.InvalidPatch(shapeError!).ToResult();
        if (ProjectPatcher.CheckPaths(operations) is { } pathError) return pathError.ToResult();

        var (project, patchError) = await store.UpdateAsync(
            caller.WorkspaceId, projectId, p => ProjectPatcher.Apply(p, operations, settings), ct);
        return project is null
            ? patchError!.ToResult()
            : TypedResults.Ok(new ProjectPatchJson(ProjectJson.From(project, settings), []));
    }

    static async Task<IResult> Delete(string id, HttpContext http, ProjectStore store, CancellationToken ct) =>
        Guid.TryParse(id, out var projectId) && await store.DeleteAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, ct)
            ? TypedResults.NoContent()
            : ControlPlaneErrors.ProjectNotFound.ToResult();
}
