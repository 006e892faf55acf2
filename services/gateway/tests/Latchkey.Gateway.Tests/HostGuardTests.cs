using System.Text.Json.Nodes;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Latchkey.Testing;
using Marten;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Latchkey.Gateway.Tests;

public sealed class HostGuardTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    const string Domain = "localtest.me";

    sealed record Outcome(bool Forwarded, int Status, JsonNode? Body, IHeaderDictionary Headers);

    async Task<Outcome> SendAsync(string host, string path = "/", long? contentLength = null, params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        http.Request.Host = new HostString(host, 4430);
        http.Request.Path = path;
        http.Request.ContentLength = contentLength;
        foreach (var (name, value) in headers) http.Request.Headers[name] = value;
        http.Response.Body = new MemoryStream();
        var forwarded = false;
        var guard = new HostGuard(_ =>
        {
            forwarded = true;
            return Task.CompletedTask;
        }, fixture.Get<PlatformSettings>(), fixture.Get<ProjectDirectory>());

        await guard.InvokeAsync(http);

        http.Response.Body.Position = 0;
        var body = http.Response.Body.Length > 0 ? await JsonNode.ParseAsync(http.Response.Body) : null;
        return new Outcome(forwarded, http.Response.StatusCode, body, http.Request.Headers);
    }

    async Task<StoredProject> ProjectAsync()
    {
        var project = new StoredProject { Id = Guid.NewGuid(), WorkspaceId = Guid.NewGuid(), Slug = ProjectSlug.Generate(), State = ProjectState.Running };
        await using var session = fixture.Get<IDocumentStore>().LightweightSession();
        session.Store(project);
        await session.SaveChangesAsync();
        return project;
    }

    [Fact]
    public async Task InvokeAsync_UnknownHost_Is404InOrysEnvelope()
    {
        var outcome = await SendAsync("elsewhere.example");

        Assert.False(outcome.Forwarded);
        Assert.Equal(404, outcome.Status);
        Assert.Equal(GatewayErrors.UnknownHost("elsewhere.example").Reason, outcome.Body!["error"]!["reason"]!.GetValue<string>());
        Assert.Equal("LK6002", GatewayErrors.UnknownHost("elsewhere.example").Id);
    }

    [Fact]
    public async Task InvokeAsync_ProjectHostOfNoProject_Is404InOAuth2Shape()
    {
        var host = $"{ProjectSlug.Generate()}.projects.{Domain}";

        var outcome = await SendAsync(host);

        Assert.False(outcome.Forwarded);
        Assert.Equal(404, outcome.Status);
        Assert.Equal(GatewayErrors.UnknownProject(host).Description, outcome.Body!["error_description"]!.GetValue<string>());
        Assert.Equal("LK6003", GatewayErrors.UnknownProject(host).Id);
    }

    [Fact]
    public async Task InvokeAsync_LiveProject_ForwardsWithoutAnyLatchkeyHeader()
    {
        var project = await ProjectAsync();

        var outcome = await SendAsync($"{project.Slug}.projects.{Domain}", "/oauth2/token", null,
            ("X-Latchkey-Project-Id", Guid.NewGuid().ToString()), ("x-latchkey-anything", "1"), ("X-Other", "kept"));

        Assert.True(outcome.Forwarded);
        Assert.DoesNotContain(outcome.Headers.Keys, k => k.StartsWith("X-Latchkey-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("kept", outcome.Headers["X-Other"].ToString());
    }

    [Theory]
    [InlineData("api." + Domain)]
    [InlineData("console." + Domain)]
    [InlineData(Domain)]
    public async Task InvokeAsync_ServiceHost_Forwards(string host) => Assert.True((await SendAsync(host)).Forwarded);

    [Fact]
    public async Task InvokeAsync_HealthOnAnyHost_Forwards() => Assert.True((await SendAsync("elsewhere.example", "/health/ready")).Forwarded);

    [Fact]
    public async Task InvokeAsync_OversizedBodyOnControlPlane_Is413InOrysEnvelope()
    {
        var outcome = await SendAsync("api." + Domain, "/projects", GatewayApp.MaxRequestBodyBytes + 1);

        Assert.False(outcome.Forwarded);
        Assert.Equal(413, outcome.Status);
        Assert.Equal(GatewayErrors.TooLarge.Reason, outcome.Body!["error"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvokeAsync_OversizedBodyOnProjectHost_Is413InOAuth2Shape()
    {
        var project = await ProjectAsync();

        var outcome = await SendAsync($"{project.Slug}.projects.{Domain}", "/oauth2/token", GatewayApp.MaxRequestBodyBytes + 1);

        Assert.False(outcome.Forwarded);
        Assert.Equal(413, outcome.Status);
        Assert.Equal(GatewayErrors.ProjectTooLarge.Description, outcome.Body!["error_description"]!.GetValue<string>());
    }
}
