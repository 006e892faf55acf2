using Xunit;

namespace Latchkey.Cli.Tests.Commands;

/// <summary>The per-project commands (clients, keys, tokens, flows): their options, checked before any request.</summary>
public sealed class ProjectAdminCommandsTests
{
    static Dictionary<string, string?> WithProjectKey() => new() { ["LATCHKEY_PROJECT_API_KEY"] = "lk_pat_test" };

    [Fact]
    public async Task CreateOAuth2Client_WithoutAnyKey_FailsNamingBothVariables()
    {
        var run = await CliRun.RunAsync("create", "oauth2-client", "--project", "p");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.Equal("Error: neither LATCHKEY_PROJECT_API_KEY nor LATCHKEY_WORKSPACE_KEY is set", run.Error);
    }

    [Fact]
    public async Task CreateOAuth2Client_WithoutProject_IsAUsageErrorNamingFlagAndVariable()
    {
        var run = await CliRun.RunAsync(WithProjectKey(), "create", "oauth2-client");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: --project is required (or set LATCHKEY_PROJECT)", run.Error);
    }

    [Fact]
    public async Task CreateOAuth2Client_ProjectIdWithoutWorkspaceKey_AsksForTheSlugOrTheKey()
    {
        var run = await CliRun.RunAsync(WithProjectKey(), "create", "oauth2-client", "--project", Guid.NewGuid().ToString());

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.Contains("is a project id; set LATCHKEY_WORKSPACE_KEY", run.Error);
    }

    [Theory]
    [InlineData("[1]", "--metadata must be a JSON object")]
    [InlineData("{", "--metadata is not valid JSON")]
    public async Task CreateOAuth2Client_BadMetadata_IsAUsageError(string metadata, string error)
    {
        var run = await CliRun.RunAsync(WithProjectKey(), "create", "oauth2-client", "--project", "p", "--metadata", metadata);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal($"Error: {error}", run.Error);
    }

    [Theory]
    [InlineData("--token-endpoint-auth-method", "client_secret_jwt")]
    [InlineData("--access-token-strategy", "paseto")]
    [InlineData("--subject-type", "random")]
    public async Task CreateOAuth2Client_ValueOutsideItsChoices_IsAUsageError(string option, string value)
    {
        var run = await CliRun.RunAsync(WithProjectKey(), "create", "oauth2-client", "--project", "p", option, value);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains(value, run.Error);
    }

    [Fact]
    public async Task CreateOAuth2Client_ProjectFromEnvironment_GoesAsFarAsTheRequest()
    {
        var env = WithProjectKey();
        env["LATCHKEY_PROJECT"] = "my-slug";

        var run = await CliRun.RunAsync(env, "create", "oauth2-client", "--grant-type", "client_credentials,refresh_token");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith("Error: cannot reach Latchkey at", run.Error);
    }

    [Theory]
    [InlineData("get", "oauth2-client")]
    [InlineData("delete", "oauth2-client")]
    [InlineData("get", "jwk")]
    [InlineData("create", "jwk")]
    [InlineData("delete", "jwk")]
    [InlineData("introspect", "token")]
    [InlineData("revoke", "token")]
    [InlineData("delete", "access-tokens")]
    public async Task AdminCommands_MissingArgument_AreUsageErrors(string verb, string noun)
    {
        var run = await CliRun.RunAsync(WithProjectKey(), verb, noun, "--project", "p");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.StartsWith("Error: ", run.Error);
        Assert.Contains($"Run 'latchkey {verb} {noun} --help' for usage.", run.Err);
    }

    [Fact]
    public async Task CreateJwk_UnknownAlgorithm_IsAUsageError()
    {
        var run = await CliRun.RunAsync(WithProjectKey(), "create", "jwk", "hydra.openid.id-token", "--project", "p", "--alg", "HS256");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains("HS256", run.Error);
    }
}
