using Xunit;

namespace Latchkey.Cli.Tests.Commands;

/// <summary>The control-plane commands' options, checked before any request is made.</summary>
public sealed class ProjectCommandsTests
{
    [Fact]
    public async Task CreateProject_WithoutName_IsAUsageError()
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), "create", "project");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.StartsWith("Error: ", run.Error);
        Assert.Contains("--name", run.Error);
        Assert.Contains("Run 'latchkey create project --help' for usage.", run.Err);
    }

    [Fact]
    public async Task CreateProject_UnknownEnvironment_IsAUsageError()
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), "create", "project", "--name", "x", "--environment", "moon");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains("moon", run.Error);
    }

    [Fact]
    public async Task CreateProject_WithoutWorkspaceKey_FailsNamingTheVariable()
    {
        var run = await CliRun.RunAsync("create", "project", "--name", "x");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.Equal("Error: LATCHKEY_WORKSPACE_KEY is not set", run.Error);
    }

    [Theory]
    [InlineData("get", "project")]
    [InlineData("delete", "project")]
    [InlineData("list", "project-api-keys")]
    [InlineData("create", "project-api-key", "p")]
    [InlineData("delete", "project-api-key", "p")]
    public async Task ProjectCommands_MissingArgumentOrOption_AreUsageErrors(params string[] args)
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), args);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.StartsWith("Error: ", run.Error);
    }

    [Fact]
    public async Task ListProjects_GatewayDown_SaysWhichGatewayItCouldNotReach()
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), "list", "projects");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith($"Error: cannot reach Latchkey at {CliRun.Unreachable}: ", run.Error);
        Assert.Single(run.Err.Trim().Split('\n'));
    }

    [Fact]
    public async Task ListProjects_PublicUrlNotHttp_FailsNamingTheVariable()
    {
        var env = CliRun.WithWorkspaceKey();
        env["LATCHKEY_PUBLIC_URL"] = "ftp://example.com";

        var run = await CliRun.RunAsync(env, "list", "projects");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith("Error: LATCHKEY_PUBLIC_URL is not an absolute http(s) URL", run.Error);
    }

    [Theory]
    [InlineData("/services/oauth2/config/ttl/access_token", "expected '/path=<json>'")]
    [InlineData("services/x=1", "a JSON pointer path starts with '/'")]
    [InlineData("/services/x=jwt", "the value is not JSON")]
    public async Task PatchProject_MalformedReplace_IsAUsageErrorSayingWhy(string replace, string why)
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), "patch", "project", "p", "--replace", replace);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains(why, run.Error);
    }

    [Fact]
    public async Task PatchProject_NoOperation_IsAUsageError()
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), "patch", "project", "p");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: give at least one --add, --replace or --remove", run.Error);
    }
}
