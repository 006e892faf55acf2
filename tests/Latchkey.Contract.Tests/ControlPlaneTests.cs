using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>Control-plane behaviour the contract fixes and no other test pins.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class ControlPlaneTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [GeneratedRegex("^[a-z]+-[a-z]+-[0-9a-z]{10}$")]
    private static partial Regex SlugShape();

    [Fact]
    public async Task CreateProject_Defaults_DevEnvironmentRunningStateAndUnguessableSlug()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Post, platform.Api("/projects"), platform.WorkspaceKey, JsonContent.Create(new { name = "defaults" }));
        var (_, other) = await _api.SendAsync(HttpMethod.Post, platform.Api("/projects"), platform.WorkspaceKey, JsonContent.Create(new { name = "defaults", environment = "prod" }));

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("dev", body!["environment"]!.GetValue<string>());
        Assert.Equal("running", body["state"]!.GetValue<string>());
        Assert.Matches(SlugShape(), body["slug"]!.GetValue<string>());
        Assert.Equal("prod", other!["environment"]!.GetValue<string>());
        Assert.NotEqual(body["slug"]!.GetValue<string>(), other["slug"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateProject_UnknownEnvironment_Is400()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Post, platform.Api("/projects"), platform.WorkspaceKey, JsonContent.Create(new { name = "x", environment = "qa" }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeleteProjectApiKey_KeyStopsWorkingAtOnce()
    {
        var project = await _api.CreateProjectAsync();
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients"), project.ApiKey)).Status);
        var (_, keys) = await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/tokens"), platform.WorkspaceKey);
        var keyId = keys!.AsArray().Single()!["id"]!.GetValue<string>();

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, platform.Api($"/projects/{project.Id}/tokens/{keyId}"), platform.WorkspaceKey);

        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients"), project.ApiKey)).Status);
    }

    [Fact]
    public async Task PatchProject_Answers_ProjectAndWarnings()
    {
        var project = await _api.CreateProjectAsync();

        var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/urls/login","value":"http://127.0.0.1:9020/login"}]"""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("http://127.0.0.1:9020/login", body!["project"]!["services"]!["oauth2"]!["config"]!["urls"]!["login"]!.GetValue<string>());
        Assert.Empty(body["warnings"]!.AsArray());
    }
}
