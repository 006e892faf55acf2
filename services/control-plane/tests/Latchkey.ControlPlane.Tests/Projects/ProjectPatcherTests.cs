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

    static StoredProject WithHook(StoredProject project)
    {
        var hook = new HookConfig
        {
            Url = "https://hooks.example.com/token",
            Auth = new HookAuth { Config = new HookAuthConfig { In = "header", Name = "X-Hook-Key", Value = "hook-secret" } },
        };
        project.OAuth2 = project.OAuth2 with { OAuth2 = project.OAuth2.OAuth2 with { TokenHook = hook, RefreshTokenHook = hook } };
        return project;
    }

    [Fact]
    public void ProjectJson_HookApiKeys_AreRedacted()
    {
        var project = WithHook(NewProject());

        var json = System.Text.Json.JsonSerializer.SerializeToNode(ProjectJson.From(project, Settings), LatchkeyDefaults.Json)!.ToJsonString();

        Assert.DoesNotContain("hook-secret", json, StringComparison.Ordinal);
        var hooks = JsonNode.Parse(json)!["services"]!["oauth2"]!["config"]!["oauth2"]!;
        Assert.Equal(ConfigJson.Redacted, hooks["token_hook"]!["auth"]!["config"]!["value"]!.GetValue<string>());
        Assert.Equal("X-Hook-Key", hooks["refresh_token_hook"]!["auth"]!["config"]!["name"]!.GetValue<string>());
        Assert.Equal("hook-secret", project.OAuth2.OAuth2.TokenHook!.Auth!.Config.Value);
    }

    [Theory]
    // Another field: the hooks are written back as read, redacted.
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/ttl/access_token","value":"2h"}]""")]
    // The hook written back with what a read showed, or with its value left out, and a new URL.
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/oauth2/token_hook/url","value":"https://hooks.example.com/v2"}]""")]
    [InlineData("""[{"op":"replace","path":"/services/oauth2/config/oauth2/token_hook","value":{"url":"https://hooks.example.com/v2","auth":{"type":"api_key","config":{"in":"header","name":"X-Hook-Key","value":"**redacted**"}}}}]""")]
    [InlineData("""[{"op":"remove","path":"/services/oauth2/config/oauth2/token_hook/auth/config/value"}]""")]
    public void Apply_LeavingTheRedactedKey_KeepsTheStoredKey(string patch)
    {
        var project = WithHook(NewProject());

        Assert.Null(ProjectPatcher.Apply(project, Operations(patch), Settings));

        Assert.Equal("hook-secret", project.OAuth2.OAuth2.TokenHook!.Auth!.Config.Value);
        Assert.Equal("hook-secret", project.OAuth2.OAuth2.RefreshTokenHook!.Auth!.Config.Value);
    }

    [Fact]
    public void Apply_NewKey_ReplacesTheStoredKey_AndNoAuthDropsIt()
    {
        var project = WithHook(NewProject());

        Assert.Null(ProjectPatcher.Apply(project, Operations("""
            [{"op":"replace","path":"/services/oauth2/config/oauth2/token_hook/auth/config/value","value":"new-secret"},
             {"op":"replace","path":"/services/oauth2/config/oauth2/refresh_token_hook","value":"https://hooks.example.com/refresh"}]
            """), Settings));

        Assert.Equal("new-secret", project.OAuth2.OAuth2.TokenHook!.Auth!.Config.Value);
        Assert.Null(project.OAuth2.OAuth2.RefreshTokenHook!.Auth);
    }
}
