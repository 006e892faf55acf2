using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// The throwaway project <c>bench</c> and what the scenarios need in it, set up through the SDK as any integrator
/// would: a project API key, a client_credentials client, and an authorization_code + refresh_token client whose
/// login and consent app is the bench itself (<see cref="LatchkeyCodeFlow"/>). Disposing deletes the project.
/// </summary>
sealed class BenchProject : IAsyncDisposable
{
    static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(10);

    readonly LatchkeyClient _controlPlane;

    BenchProject(LatchkeyClient controlPlane, Project project)
    {
        _controlPlane = controlPlane;
        Id = project.Id;
        Slug = project.Slug;
        Admin = controlPlane;
    }

    public string Id { get; }
    public string Slug { get; }

    /// <summary>The SDK with the project API key: the admin API and the project's public endpoints.</summary>
    public LatchkeyClient Admin { get; private set; }

    public string ApiKey { get; private set; } = "";
    public ClientCredentials ServiceClient { get; private set; } = new("", "");
    public ClientCredentials WebClient { get; private set; } = new("", "");

    /// <summary>The <c>Host</c> header of the project's endpoints.</summary>
    public string Host => Admin.Hosts.ProjectHost(Slug);

    public static async Task<BenchProject> CreateAsync(LatchkeyClient controlPlane, CancellationToken ct)
    {
        Log.Info("creating project, project API key and clients");
        var created = await controlPlane.CreateProjectAsync("bench", ct);
        if (created.Id.Length == 0 || created.Slug.Length == 0)
            throw new BenchException("POST /projects answered a project without id or slug");
        var project = new BenchProject(controlPlane, created);
        try
        {
            await project.SetUpAsync(ct);
            return project;
        }
        catch
        {
            await project.DisposeAsync();
            throw;
        }
    }

    async Task SetUpAsync(CancellationToken ct)
    {
        var key = await _controlPlane.CreateProjectApiKeyAsync(Id, "bench", ct);
        ApiKey = key.Value ?? throw new BenchException("POST /projects/{id}/tokens answered no key value");
        Admin = _controlPlane.WithProjectApiKey(ApiKey);

        ServiceClient = Credentials(await Admin.CreateOAuth2ClientAsync(Slug, new OAuth2Client
        {
            ClientName = "bench",
            GrantTypes = ["client_credentials"],
            Scope = "read write",
        }, ct));

        await _controlPlane.PatchProjectAsync(Id,
        [
            JsonPatchOperation.Replace("/services/oauth2/config/urls/login", LatchkeyCodeFlow.LoginApp.AbsoluteUri),
            JsonPatchOperation.Replace("/services/oauth2/config/urls/consent", LatchkeyCodeFlow.ConsentApp.AbsoluteUri),
        ], ct);
        WebClient = Credentials(await Admin.CreateOAuth2ClientAsync(Slug, new OAuth2Client
        {
            ClientName = "bench-web",
            GrantTypes = ["authorization_code", "refresh_token"],
            ResponseTypes = ["code"],
            RedirectUris = [LatchkeyCodeFlow.RedirectUri.AbsoluteUri],
            Scope = "openid offline_access",
            TokenEndpointAuthMethod = "client_secret_basic",
        }, ct));
    }

    /// <summary>Switches the project's access tokens to <c>jwt</c> (RS256) or back to <c>opaque</c>.</summary>
    public Task UseAccessTokenStrategyAsync(string strategy, CancellationToken ct) =>
        _controlPlane.PatchProjectAsync(Id, [JsonPatchOperation.Replace("/services/oauth2/config/strategies/access_token", strategy)], ct);

    static ClientCredentials Credentials(OAuth2Client client) =>
        client is { ClientId: { Length: > 0 } id, ClientSecret: { Length: > 0 } secret }
            ? new(id, secret)
            : throw new BenchException("POST /admin/clients answered a client without id or secret");

    /// <summary>Deletes the project, whatever state the run ended in; a failure is only reported.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(DeleteTimeout);
        try
        {
            await _controlPlane.DeleteProjectAsync(Id, timeout.Token);
        }
        catch (Exception ex) when (ex is LatchkeyApiException or HttpRequestException or OperationCanceledException)
        {
            Log.Info($"warning: could not delete the bench project {Id}: {ex.Message}");
        }
    }
}
