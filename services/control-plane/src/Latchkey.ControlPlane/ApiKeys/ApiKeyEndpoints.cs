using System.Text.Json.Nodes;
using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Http;

namespace Latchkey.ControlPlane.ApiKeys;

/// <summary>Ory Network's project API keys: <c>/projects/{id}/tokens</c>.</summary>
internal static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapProjectApiKeys(this RouteGroupBuilder projects)
    {
        // Ory Network calls them tokens on the wire.
        var keys = projects.MapGroup("/{id}/tokens");
        keys.MapPost("/", Create);
        keys.MapGet("/", List);
        keys.MapDelete("/{tokenId}", Delete);
        return keys;
    }

    static async Task<IResult> Create(string id, HttpContext http, ApiKeyStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = WorkspaceCaller.Of(http);
        if (!Guid.TryParse(id, out var projectId)) return ControlPlaneErrors.ProjectNotFound.ToResult();

        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (body is not JsonObject fields)
            return ControlPlaneErrors.NotAnObject("{\"name\": \"ci\"}").ToResult();
        if (Fields.Name(fields["name"], "name", out var name) is { } nameProblem)
            return ControlPlaneErrors.Invalid(nameProblem).ToResult();
        if (Fields.ExpiresAt(fields["expires_at"], clock.GetUtcNow(), out var expiresAt) is { } expiryProblem)
            return ControlPlaneErrors.Invalid(expiryProblem).ToResult();

        if (await store.CreateAsync(caller.WorkspaceId, projectId, name, expiresAt, ct) is not { } created)
            return ControlPlaneErrors.ProjectNotFound.ToResult();
        return TypedResults.Created($"/projects/{projectId}/tokens/{created.Key.Id}", ProjectApiKeyJson.From(created.Key, created.Value));
    }

    static async Task<IResult> List(string id, HttpContext http, ApiKeyStore store, CancellationToken ct) =>
        Guid.TryParse(id, out var projectId) && await store.ListAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, ct) is { } keys
            ? TypedResults.Ok(keys.Select(k => ProjectApiKeyJson.From(k)).ToList())
            : ControlPlaneErrors.ProjectNotFound.ToResult();

    static async Task<IResult> Delete(string id, string tokenId, HttpContext http, ApiKeyStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var projectId)) return ControlPlaneErrors.ProjectNotFound.ToResult();
        if (!Guid.TryParse(tokenId, out var keyId)) return ControlPlaneErrors.ApiKeyNotFound.ToResult();
        var error = await store.DeleteAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, keyId, ct);
        return error?.ToResult() ?? TypedResults.NoContent();
    }
}
