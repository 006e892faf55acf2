using System.Text.Json.Nodes;
using Latchkey.ControlPlane.Projects;
using Latchkey.ServiceDefaults;
using Latchkey.ServiceDefaults.Patching;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Latchkey.ControlPlane.Tests.Projects;

public sealed class ProjectPatcherTests
{
    static readonly PlatformSettings Settings = PlatformSettings.From(new ConfigurationBuilder().Build());

    static IReadOnlyList<PatchOperation> Operations(string patch) =>
        JsonPatch.Parse(JsonNode.Parse(patch)).Operations ?? throw new FormatException(patch);

    static StoredProject NewProject() => new() { Id = Guid.NewGuid(), Slug = "s", Name = "before", State = ProjectState.Running };

    [Theory]
    [InlineData("""[{"op":"replace","path":"/name","value":"x"}]""")]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"2h"}]""")]
    [InlineData("""[{"op":"test","path":"/slug","value":"s"}]""")]
    [InlineData("""[{"op":"copy","from":"/slug","path":"/name"}]""")]
    public void CheckPaths_NameConfigOrReadsElsewhere_Passes(string patch) =>
        Assert.Null(ProjectPatcher.CheckPaths(Operations(patch)));

    [Theory]
    [InlineData("""[{"op":"replace","path":"/slug","value":"x"}]""")]
    [InlineData("""[{"op":"remove","path":"/services/oauth2"}]""")]
    [InlineData("""[{"op":"move","from":"/slug","path":"/name"}]""")]
    [InlineData("""[{"op":"add","path":"/services/oauth2/configuration","value":1}]""")]
    public void CheckPaths_WriteOutsideNameAndConfig_IsNotPatchable(string patch) =>
        Assert.Equal("LK5007", ProjectPatcher.CheckPaths(Operations(patch))?.Id);

    [Fact]
    public void Apply_NameAndTtl_ChangesTheProject()
    {
        var project = NewProject();

        var error = ProjectPatcher.Apply(project, Operations("""
            [{"op":"replace","path":"/name","value":"after"},
             {"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"2h"}]
            """), Settings);

        Assert.Null(error);
        Assert.Equal("after", project.Name);
        Assert.Equal("2h", project.OAuth2.Ttl.AccessToken);
    }

    [Fact]
    public void Apply_FailingOperation_IsInvalidPatchAndLeavesTheProject()
    {
        var project = NewProject();

        var error = ProjectPatcher.Apply(project, Operations("""[{"op":"test","path":"/name","value":"other"}]"""), Settings);

        Assert.Equal("LK5006", error?.Id);
        Assert.Equal("before", project.Name);
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"forever"}]""")]
    [InlineData("""[{"op":"add","path":"/services/oauth2/config/unknown","value":1}]""")]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":5}]""")]
    public void Apply_BadConfig_IsInvalidConfig(string patch)
    {
        var project = NewProject();

        Assert.Equal("LK5008", ProjectPatcher.Apply(project, Operations(patch), Settings)?.Id);
        Assert.Equal(new OAuth2Config(), project.OAuth2);
    }

    [Fact]
    public void Apply_EmptyName_IsInvalid() =>
        Assert.Equal("LK5004", ProjectPatcher.Apply(NewProject(), Operations("""[{"op":"replace","path":"/name","value":""}]"""), Settings)?.Id);
}
