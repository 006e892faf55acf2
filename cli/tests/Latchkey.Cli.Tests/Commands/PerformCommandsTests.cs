using System.CommandLine;
using Latchkey.Cli.Commands;
using Xunit;

namespace Latchkey.Cli.Tests.Commands;

/// <summary><c>perform client-credentials</c> and <c>perform authorization-code</c>: options, defaults, bad values.</summary>
public sealed class PerformCommandsTests
{
    static Dictionary<string, string?> WithProject() => new() { ["LATCHKEY_PROJECT"] = "my-slug" };

    [Fact]
    public async Task ClientCredentials_WithoutClientId_IsAUsageErrorNamingFlagAndVariable()
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "client-credentials", "--client-secret", "s");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: --client-id is required (or set OAUTH2_CLIENT_ID)", run.Error);
    }

    [Fact]
    public async Task ClientCredentials_WithoutClientSecret_IsAUsageErrorNamingFlagAndVariable()
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "client-credentials", "--client-id", "c");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: --client-secret is required (or set OAUTH2_CLIENT_SECRET)", run.Error);
    }

    [Fact]
    public async Task ClientCredentials_CredentialsFromEnvironment_GoAsFarAsTheRequest()
    {
        var env = WithProject();
        env[PerformClientCredentialsCommand.ClientIdVariable] = "c";
        env[PerformClientCredentialsCommand.ClientSecretVariable] = "s";

        var run = await CliRun.RunAsync(env, "perform", "client-credentials");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith("Error: cannot reach Latchkey at", run.Error);
    }

    [Fact]
    public async Task ClientCredentials_UnknownAuthMethod_IsAUsageError()
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "client-credentials", "--client-id", "c", "--client-secret", "s",
            "--token-endpoint-auth-method", "none");

        Assert.Equal(CliException.Usage, run.Exit);
    }

    [Fact]
    public void AuthorizationCode_Defaults_PortAndScopesForARefreshAndAnIdToken()
    {
        using var http = new HttpClient();
        var root = CommandTree.Build(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, http));

        var parse = root.Parse(["perform", "authorization-code", "--client-id", "c"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(PerformAuthorizationCodeCommand.DefaultPort, parse.GetValue<int>("--port"));
        Assert.Equal(["offline_access", "openid"], parse.GetValue<string[]>("--scope") ?? []);
        Assert.Null(parse.GetValue<int?>("--max-age"));
        Assert.False(parse.GetValue<bool>("--no-open"));
    }

    [Fact]
    public async Task AuthorizationCode_WithoutClientId_IsAUsageError()
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "authorization-code");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: --client-id is required (or set OAUTH2_CLIENT_ID)", run.Error);
    }

    [Theory]
    [InlineData("--port", "0", "Error: --port must be between 1 and 65535")]
    [InlineData("--port", "70000", "Error: --port must be between 1 and 65535")]
    [InlineData("--max-age", "-1", "Error: --max-age must be 0 or more")]
    [InlineData("--redirect", "/callback", "Error: --redirect must be an absolute http(s) URL without a fragment, got '/callback'")]
    [InlineData("--redirect", "http://127.0.0.1:4446/cb#x", "Error: --redirect must be an absolute http(s) URL without a fragment, got 'http://127.0.0.1:4446/cb#x'")]
    [InlineData("--timeout", "soon", "Error: --timeout must be a duration such as 90s, 10m or 1h, got 'soon'")]
    [InlineData("--timeout", "9999h", "Error: --timeout must be at most 720h")]
    public async Task AuthorizationCode_BadValue_IsAUsageErrorSayingWhy(string option, string value, string error)
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "authorization-code", "--client-id", "c", "--no-open", option, value);

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal(error, run.Error);
    }

    [Fact]
    public async Task AuthorizationCode_PortNotANumber_IsAParseError()
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "authorization-code", "--client-id", "c", "--port", "http");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains("http", run.Error);
    }

    [Fact]
    public void DeviceCode_Defaults_ScopesForARefreshAndAnIdToken()
    {
        using var http = new HttpClient();
        var root = CommandTree.Build(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, http));

        var parse = root.Parse(["perform", "device-code", "--client-id", "c"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(["offline_access", "openid"], parse.GetValue<string[]>("--scope") ?? []);
    }

    [Fact]
    public async Task DeviceCode_WithoutClientId_IsAUsageErrorNamingFlagAndVariable()
    {
        var run = await CliRun.RunAsync(WithProject(), "perform", "device-code");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Equal("Error: --client-id is required (or set OAUTH2_CLIENT_ID)", run.Error);
    }

    [Fact]
    public async Task DeviceCode_ClientIdFromEnvironment_GoesAsFarAsTheRequest()
    {
        var env = WithProject();
        env[PerformClientCredentialsCommand.ClientIdVariable] = "c";

        var run = await CliRun.RunAsync(env, "perform", "device-code");

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.StartsWith("Error: cannot reach Latchkey at", run.Error);
    }

    [Theory]
    [InlineData("authorization_pending", 5, 5)]
    [InlineData("slow_down", 5, 10)]
    [InlineData("slow_down", 10, 15)]
    public void DeviceCode_NextInterval_FollowsRfc8628(string error, int seconds, int next) =>
        Assert.Equal(TimeSpan.FromSeconds(next), PerformDeviceCodeCommand.NextInterval(error, TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("access_denied")]
    [InlineData("expired_token")]
    [InlineData("invalid_grant")]
    public void DeviceCode_NextInterval_EndsPollingOnAnyOtherError(string error) =>
        Assert.Null(PerformDeviceCodeCommand.NextInterval(error, TimeSpan.FromSeconds(5)));
}
