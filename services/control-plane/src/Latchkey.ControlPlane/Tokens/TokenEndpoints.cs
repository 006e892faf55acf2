using System.Text.Json.Nodes;
using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Http;

namespace Latchkey.ControlPlane.Tokens;

/// <summary>Ory Network's project API keys: <c>/projects/{id}/tokens</c>.</summary>
internal static class TokenEndpoints
{
    public static RouteGroupBuilder MapProjectTokens(this RouteGroupBuilder projects)
    {
        var tokens = projects.MapGroup("/{id}/tokens");
        tokens.MapPost("/", Create);
        tokens.MapGet("/", List);
        tokens.MapDelete("/{tokenId}", Delete);
        return tokens;
    }

    static async Task<IResult> Create(string id, HttpContext http, TokenStore store, TimeProvider clock, CancellationToken ct)
    {
        var caller = WorkspaceCaller.Of(http);
        if (!Guid.TryParse(id, out var projectId)) return ControlPlaneErrors.ProjectNotFound.ToResult();

        var (body, error) = await RequestJson.ReadAsync(http.Request, ct);
        if (error is not null) return error.ToResult();
        if (body is not JsonObject fields)
            return ControlPlaneErrors.Invalid("The body must be a JSON object such as {\"name\": \"ci\"}.").ToResult();
        if (Fields.Name(fields["name"], "name", out var name) is { } nameProblem)
            return ControlPlaneErrors.Invalid(nameProblem).ToResult();
        if (Fields.ExpiresAt(fields["expires_at"], clock.GetUtcNow(), out var expiresAt) is { } expiryProblem)
            return ControlPlaneErrors.Invalid(expiryProblem).ToResult();

        if (await store.CreateAsync(caller.WorkspaceId, projectId, name, expiresAt, ct) is not { } created)
            return ControlPlaneErrors.ProjectNotFound.ToResult();
        return TypedResults.Created($"/projects/{projectId}/tokens/{created.Key.Id}", ProjectApiKeyJson.From(created.Key, created.Value));
    }

    static async Task<IResult> List(string id, HttpContext http, TokenStore store, CancellationToken ct) =>
        Guid.TryParse(id, out var projectId) && await store.ListAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, ct) is { } keys
            ? TypedResults.Ok(keys.Select(k => ProjectApiKeyJson.From(k)).ToList())
            : ControlPlaneErrors.ProjectNotFound.ToResult();

    static async Task<IResult> Delete(string id, string tokenId, HttpContext http, TokenStore store, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var projectId)) return ControlPlaneErrors.ProjectNotFound.ToResult();
        if (!Guid.TryParse(tokenId, out var keyId)) return ControlPlaneErrors.TokenNotFound.ToResult();
        var error = await store.DeleteAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, keyId, ct);
        return error?.ToResult() ?? TypedResults.NoContent();
    }
}
