using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>A project made through the control plane, with a project API key and its issuer.</summary>
public sealed record TestProject(string Id, string Slug, string Issuer, string ApiKey);

/// <summary>A client made through the project's admin API, with its one-time secret.</summary>
public sealed record TestClient(string Id, string Secret);

/// <summary>Plain HTTP calls against the gateway, written from the contract, not from our client library.</summary>
public sealed class Api(PlatformFixture platform)
{
    public HttpClient Http { get; } = platform.CreateClient();

    public HttpRequestMessage Request(HttpMethod method, Uri uri, string? bearer, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return request;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, Uri uri, string? bearer, HttpContent? content = null)
    {
        using var response = await Http.SendAsync(Request(method, uri, bearer, content));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A request expected to fail with a named error: its status, body and catalogue id (<see cref="ErrorIdOf"/>).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body, string? ErrorId)> SendForErrorAsync(HttpMethod method, Uri uri, string? bearer, HttpContent? content = null)
    {
        using var response = await Http.SendAsync(Request(method, uri, bearer, content));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), ErrorIdOf(response));
    }

    /// <summary>The catalogue id of a named error (<see cref="Latchkey.ServiceDefaults.ErrorId.Header"/>), or null.</summary>
    public static string? ErrorIdOf(HttpResponseMessage? response) =>
        response is not null && response.Headers.TryGetValues(Latchkey.ServiceDefaults.ErrorId.Header, out var ids) ? ids.Single() : null;

    /// <summary>
    /// The OAuth2 <c>error</c> code of a failed response. Duende reports a 401 as an HTTP error and leaves
    /// the protocol's JSON body in <c>Raw</c>, so read it from there.
    /// </summary>
    public static string? OAuth2Error(Duende.IdentityModel.Client.ProtocolResponse response) =>
        response.Error is { } error && response.ErrorType == Duende.IdentityModel.Client.ResponseErrorType.Protocol
            ? error
            : JsonNode.Parse(response.Raw!)?["error"]?.GetValue<string>();

    /// <summary>
    /// A request straight to the oauth2 service, not through the gateway, for the project's host (or any
    /// <paramref name="host"/>): what the service itself does, whatever the gateway would have stopped.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendDirectAsync(HttpMethod method, string host, string path, string? bearer, HttpContent? content = null)
    {
        using var direct = new HttpClient();
        using var request = Request(method, new Uri(platform.ServiceUrls[2], path), bearer, content);
        request.Headers.Host = host;
        using var response = await direct.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static string HostOf(TestProject project) => new Uri(project.Issuer).Authority;

    /// <summary>
    /// Asserts Hydra's per-project error shape, <c>{"error": "…", "error_description": "…"}</c> with <c>error</c> a
    /// string (as Hydra's SDKs read it), and returns the description.
    /// </summary>
    public static string AssertOAuth2Error(JsonNode? body, string error)
    {
        Assert.NotNull(body);
        Assert.Equal(JsonValueKind.String, body["error"]?.GetValueKind());
        Assert.Equal(error, body["error"]!.GetValue<string>());
        var description = body["error_description"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(description));
        return description;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<TestProject> CreateProjectAsync(string name = "contract")
    {
        var (status, body) = await SendAsync(HttpMethod.Post, platform.Api("/projects"), platform.WorkspaceKey, JsonContent.Create(new { name }));
        Assert.Equal(HttpStatusCode.Created, status);
        var id = body!["id"]!.GetValue<string>();
        var slug = body["slug"]!.GetValue<string>();

        var (keyStatus, key) = await SendAsync(HttpMethod.Post, platform.Api($"/projects/{id}/tokens"), platform.WorkspaceKey, JsonContent.Create(new { name = "tests" }));
        Assert.Equal(HttpStatusCode.Created, keyStatus);
        return new TestProject(id, slug, platform.IssuerOf(slug), key!["value"]!.GetValue<string>());
    }

    public Uri At(TestProject project, string path) => new(project.Issuer + path);

    public async Task<TestClient> CreateClientAsync(TestProject project, string body = """{"client_name":"m2m","grant_types":["client_credentials"],"scope":"read write","audience":["https://api.example.com"]}""")
    {
        var (status, json) = await SendAsync(HttpMethod.Post, At(project, "/admin/clients"), project.ApiKey, Json(body));
        Assert.Equal(HttpStatusCode.Created, status);
        // A public client has no secret.
        return new TestClient(json!["client_id"]!.GetValue<string>(), json["client_secret"]?.GetValue<string>() ?? "");
    }

    public async Task<JsonNode> IntrospectAsync(TestProject project, string token, string? bearer = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, At(project, "/admin/oauth2/introspect"), bearer ?? project.ApiKey,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    /// <summary>
    /// The journey a machine user takes first on a fresh project: a client-credentials token from Duende's client
    /// library, then introspection through the admin API. Returns the introspection answer.
    /// </summary>
    public async Task<JsonNode> IssueAndIntrospectAsync(TestProject project, TestClient client)
    {
        var token = await Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Scope = "read",
        });
        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
        return await IntrospectAsync(project, token.AccessToken!);
    }
}
