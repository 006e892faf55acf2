namespace Latchkey.Client;

// Control plane: api.<domain>, authenticated with the workspace key.
public sealed partial class LatchkeyClient
{
    /// <summary><c>POST /projects</c>; <paramref name="environment"/> is <c>dev</c> (server default), <c>stage</c> or <c>prod</c>.</summary>
    public Task<Project> CreateProjectAsync(string name, string? environment, CancellationToken ct) =>
        ReadAsync<Project>(WithJson(CreateControlPlaneRequest(HttpMethod.Post, "/projects"), new CreateProjectBody(name, environment)), ct);

    /// <summary><c>POST /projects</c> in the server's default environment.</summary>
    public Task<Project> CreateProjectAsync(string name, CancellationToken ct) => CreateProjectAsync(name, null, ct);

    /// <summary><c>GET /projects</c>.</summary>
    public async Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken ct) =>
        await ReadAsync<List<Project>>(CreateControlPlaneRequest(HttpMethod.Get, "/projects"), ct);

    /// <summary><c>GET /projects/{id}</c>.</summary>
    public Task<Project> GetProjectAsync(string projectId, CancellationToken ct) =>
        ReadAsync<Project>(CreateControlPlaneRequest(HttpMethod.Get, $"/projects/{Escape(projectId)}"), ct);

    /// <summary><c>PATCH /projects/{id}</c> with an RFC 6902 patch over the project document.</summary>
    public Task<ProjectPatchResult> PatchProjectAsync(string projectId, IEnumerable<JsonPatchOperation> operations, CancellationToken ct) =>
        ReadAsync<ProjectPatchResult>(
            WithJson(CreateControlPlaneRequest(HttpMethod.Patch, $"/projects/{Escape(projectId)}"), operations.ToList(), "application/json-patch+json"),
            ct);

    /// <summary><c>DELETE /projects/{id}</c> (204).</summary>
    public Task DeleteProjectAsync(string projectId, CancellationToken ct) =>
        SendExpectingSuccessAsync(CreateControlPlaneRequest(HttpMethod.Delete, $"/projects/{Escape(projectId)}"), ct);

    /// <summary><c>POST /projects/{id}/tokens</c>; the answer's <see cref="ProjectApiKey.Value"/> is shown only this once.</summary>
    public Task<ProjectApiKey> CreateProjectApiKeyAsync(string projectId, string name, CancellationToken ct) =>
        ReadAsync<ProjectApiKey>(
            WithJson(CreateControlPlaneRequest(HttpMethod.Post, $"/projects/{Escape(projectId)}/tokens"), new CreateApiKeyBody(name)),
            ct);

    /// <summary><c>GET /projects/{id}/tokens</c>.</summary>
    public async Task<IReadOnlyList<ProjectApiKey>> ListProjectApiKeysAsync(string projectId, CancellationToken ct) =>
        await ReadAsync<List<ProjectApiKey>>(CreateControlPlaneRequest(HttpMethod.Get, $"/projects/{Escape(projectId)}/tokens"), ct);

    /// <summary><c>DELETE /projects/{id}/tokens/{token_id}</c>.</summary>
    public Task DeleteProjectApiKeyAsync(string projectId, string keyId, CancellationToken ct) =>
        SendExpectingSuccessAsync(
            CreateControlPlaneRequest(HttpMethod.Delete, $"/projects/{Escape(projectId)}/tokens/{Escape(keyId)}"), ct);

    sealed record CreateProjectBody(string Name, string? Environment);

    sealed record CreateApiKeyBody(string Name);
}
