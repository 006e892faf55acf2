using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// The throwaway project <c>bench</c> and what the scenarios need in it, set up through the SDK as any integrator
/// would: a project API key, a client_credentials client, and an authorization_code + refresh_token client whose
/// login and consent app is the bench itself (<see cref="LatchkeyCodeFlow"/>). Disposing deletes the project.
/// </summary>
sealed class BenchProject(LatchkeyClient controlPlane, string id, string slug, string apiKey, ClientCredentials serviceClient, ClientCredentials webClient)
    : IAsyncDisposable
{
    static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(10);

    public string Id { get; } = id;
    public string Slug { get; } = slug;
    public string ApiKey { get; } = apiKey;

    /// <summary>The SDK with the project API key: the admin API and the project's public endpoints.</summary>
    public LatchkeyClient Admin { get; } = controlPlane.WithProjectApiKey(apiKey);

    public ClientCredentials ServiceClient { get; } = serviceClient;
    public ClientCredentials WebClient { get; } = webClient;

    /// <summary>The <c>Host</c> header of the project's endpoints.</summary>
    public string Host => Admin.Hosts.ProjectHost(Slug);

    public static async Task<BenchProject> CreateAsync(LatchkeyClient controlPlane, CancellationToken ct)
    {
        Log.Info("creating project, project API key and clients");
        var project = await controlPlane.CreateProjectAsync("bench", ct);
        if (project.Id.Length == 0 || project.Slug.Length == 0)
            throw new BenchException("POST /projects answered a project without id or slug");
        try
        {
            return await SetUpAsync(controlPlane, project, ct);
        }
        catch
        {
            await DeleteAsync(controlPlane, project.Id);
            throw;
        }
    }

    static async Task<BenchProject> SetUpAsync(LatchkeyClient controlPlane, Project project, CancellationToken ct)
    {
        var key = await controlPlane.CreateProjectApiKeyAsync(project.Id, "bench", ct);
        var apiKey = key.Value ?? throw new BenchException("POST /projects/{id}/tokens answered no key value");
        var admin = controlPlane.WithProjectApiKey(apiKey);

        var service = Credentials(await admin.CreateOAuth2ClientAsync(project.Slug, new OAuth2Client
        {
            ClientName = "bench",
            GrantTypes = ["client_credentials"],
            Scope = "read write",
        }, ct));

        await controlPlane.PatchProjectAsync(project.Id,
        [
            JsonPatchOperation.Replace("/services/oauth2/config/urls/login", LatchkeyCodeFlow.LoginApp.AbsoluteUri),
            JsonPatchOperation.Replace("/services/oauth2/config/urls/consent", LatchkeyCodeFlow.ConsentApp.AbsoluteUri),
        ], ct);
        var web = Credentials(await admin.CreateOAuth2ClientAsync(project.Slug, new OAuth2Client
        {
            ClientName = "bench-web",
            GrantTypes = ["authorization_code", "refresh_token"],
            ResponseTypes = ["code"],
            RedirectUris = [LatchkeyCodeFlow.RedirectUri.AbsoluteUri],
            Scope = "openid offline_access",
            TokenEndpointAuthMethod = "client_secret_basic",
        }, ct));
        return new BenchProject(controlPlane, project.Id, project.Slug, apiKey, service, web);
    }

    /// <summary>Switches the project's access tokens to <c>jwt</c> (RS256) or back to <c>opaque</c>.</summary>
    public Task UseAccessTokenStrategyAsync(string strategy, CancellationToken ct) =>
        controlPlane.PatchProjectAsync(Id, [JsonPatchOperation.Replace("/services/oauth2/config/strategies/access_token", strategy)], ct);

    static ClientCredentials Credentials(OAuth2Client client) =>
        client is { ClientId: { Length: > 0 } clientId, ClientSecret: { Length: > 0 } secret }
            ? new(clientId, secret)
            : throw new BenchException("POST /admin/clients answered a client without id or secret");

    /// <summary>Deletes the project, whatever state the run ended in (Ctrl+C included).</summary>
    public ValueTask DisposeAsync() => new(DeleteAsync(controlPlane, Id));

    // Not the run's token: a cancelled run still cleans up. A failure is only reported.
    static async Task DeleteAsync(LatchkeyClient controlPlane, string projectId)
    {
        using var timeout = new CancellationTokenSource(DeleteTimeout);
        try
        {
            await controlPlane.DeleteProjectAsync(projectId, timeout.Token);
        }
        catch (Exception ex) when (ex is LatchkeyApiException or HttpRequestException or OperationCanceledException)
        {
            Log.Info($"warning: could not delete the bench project {projectId}: {ex.Message}");
        }
    }
}
