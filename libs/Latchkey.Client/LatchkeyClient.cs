using System.Net.Http.Headers;
using System.Text.Json;

namespace Latchkey.Client;

/// <summary>
/// A typed client for Latchkey's three surfaces, all reached through the gateway: the control plane
/// (<c>api.&lt;domain&gt;</c>, workspace key), a project's Hydra-compatible admin API
/// (<c>&lt;slug&gt;.projects.&lt;domain&gt;/admin</c>, project key or workspace key) and a project's public OAuth2 endpoints.
/// </summary>
/// <remarks>
/// Per-project methods take the project's <em>slug</em> first. Failures throw <see cref="LatchkeyApiException"/>;
/// transport failures surface as <see cref="HttpRequestException"/>. Instances are immutable and cheap;
/// <see cref="WithWorkspaceKey"/> and <see cref="WithProjectApiKey"/> share the <see cref="HttpClient"/>.
/// </remarks>
public sealed partial class LatchkeyClient
{
    public const string PublicUrlVariable = "LATCHKEY_PUBLIC_URL";
    public const string DomainVariable = "LATCHKEY_DOMAIN";
    public const string WorkspaceKeyVariable = "LATCHKEY_WORKSPACE_KEY";
    public const string ProjectApiKeyVariable = "LATCHKEY_PROJECT_API_KEY";

    readonly HttpClient _http;

    public LatchkeyClient(HttpClient http, Uri publicUrl, string? domain = null)
        : this(http, new LatchkeyHosts(publicUrl, domain))
    {
    }

    public LatchkeyClient(HttpClient http, LatchkeyHosts hosts)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(hosts);
        _http = http;
        Hosts = hosts;
    }

    /// <summary>
    /// A client configured from <c>LATCHKEY_PUBLIC_URL</c> (default <c>http://localhost:4430</c>), <c>LATCHKEY_DOMAIN</c>,
    /// <c>LATCHKEY_WORKSPACE_KEY</c> and <c>LATCHKEY_PROJECT_API_KEY</c>; <paramref name="getEnvironmentVariable"/>
    /// defaults to the process environment.
    /// </summary>
    public static LatchkeyClient FromEnvironment(HttpClient http, Func<string, string?>? getEnvironmentVariable = null)
    {
        var env = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var url = NonEmpty(env(PublicUrlVariable)) ?? LatchkeyHosts.DefaultPublicUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var publicUrl) || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"{PublicUrlVariable} is not an absolute http(s) URL: '{url}'");
        return new LatchkeyClient(http, new LatchkeyHosts(publicUrl, NonEmpty(env(DomainVariable))))
        {
            WorkspaceKey = NonEmpty(env(WorkspaceKeyVariable)),
            ProjectApiKey = NonEmpty(env(ProjectApiKeyVariable)),
        };
    }

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public LatchkeyHosts Hosts { get; }

    /// <summary>The workspace API key (<c>lk_wak_…</c>) for the control plane; also accepted by project admin APIs.</summary>
    public string? WorkspaceKey { get; init; }

    /// <summary>The project API key (<c>lk_pat_…</c>); preferred over the workspace key for <c>/admin</c> calls.</summary>
    public string? ProjectApiKey { get; init; }

    public LatchkeyClient WithWorkspaceKey(string? workspaceKey) =>
        new(_http, Hosts) { WorkspaceKey = workspaceKey, ProjectApiKey = ProjectApiKey };

    public LatchkeyClient WithProjectApiKey(string? projectApiKey) =>
        new(_http, Hosts) { WorkspaceKey = WorkspaceKey, ProjectApiKey = projectApiKey };

    /// <summary>The issuer of a project: <c>&lt;scheme&gt;://&lt;slug&gt;.projects.&lt;domain&gt;[:port]</c>.</summary>
    public string Issuer(string slug) => Hosts.Issuer(slug);

    /// <summary>A raw control-plane request carrying the workspace key, for cases the typed methods do not cover.</summary>
    public HttpRequestMessage CreateControlPlaneRequest(HttpMethod method, string pathAndQuery) =>
        WithBearer(Hosts.CreateRequest(method, Hosts.ControlPlaneHost, pathAndQuery), WorkspaceKey);

    /// <summary>A raw request to a project's admin API, carrying the project key (or else the workspace key).</summary>
    public HttpRequestMessage CreateAdminRequest(string project, HttpMethod method, string pathAndQuery) =>
        WithBearer(Hosts.CreateRequest(method, Hosts.ProjectHost(project), pathAndQuery), ProjectApiKey ?? WorkspaceKey);

    /// <summary>A raw, unauthenticated request to a project's host.</summary>
    public HttpRequestMessage CreateProjectRequest(string project, HttpMethod method, string pathAndQuery) =>
        Hosts.CreateRequest(method, Hosts.ProjectHost(project), pathAndQuery);

    /// <summary>Sends a raw request as is; the caller owns and inspects the response.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
        _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);

    static HttpRequestMessage WithBearer(HttpRequestMessage request, string? token)
    {
        if (!string.IsNullOrEmpty(token))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    static HttpRequestMessage WithJson<T>(HttpRequestMessage request, T body, string mediaType = "application/json")
    {
        // Buffered rather than streamed, so the request has a Content-Length: not every proxy takes chunked bodies.
        request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, LatchkeyJson.Options));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = mediaType == "application/json" ? "utf-8" : null };
        return request;
    }

    async Task<T> ReadAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await SendAsync(request, ct);
            await EnsureSuccessAsync(response, ct);
            return await ReadBodyAsync<T>(response, ct);
        }
    }

    static async Task<T> ReadBodyAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return JsonSerializer.Deserialize<T>(body, LatchkeyJson.Options)
                ?? throw new JsonException("the body is empty or null");
        }
        catch (JsonException ex)
        {
            var request = response.RequestMessage;
            throw new LatchkeyApiException((int)response.StatusCode, "unexpected_response",
                $"{request?.Method} {request?.RequestUri?.AbsolutePath} answered a body this client cannot read: {ex.Message}")
            { Body = body };
        }
    }

    async Task SendExpectingSuccessAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            using var response = await SendAsync(request, ct);
            await EnsureSuccessAsync(response, ct);
        }
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
            throw await LatchkeyApiException.FromResponseAsync(response, ct);
    }

    static string Escape(string segment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(segment);
        return Uri.EscapeDataString(segment);
    }
}
