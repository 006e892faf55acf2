using System.CommandLine;
using System.Text.Json;
using Latchkey.Client;
using Xunit;

namespace Latchkey.Cli.Tests;

/// <summary>
/// What a command's handler may rely on: every exception it lets out becomes one <c>Error: …</c> line and an exit code
/// (<see cref="CommandExtensions.WithHandler"/>), and <see cref="CommandContext"/> resolves flags, variables and keys.
/// </summary>
public sealed class CommandContextTests
{
    static async Task<CliRun> InvokeAsync(Func<CommandContext, CancellationToken, Task> body, string[]? args = null,
        Dictionary<string, string?>? env = null, CancellationToken ct = default)
    {
        env ??= [];
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var http = new HttpClient();
        var host = new CliHost(stdout, stderr, name => env.TryGetValue(name, out var value) ? value : null, http);
        var project = CliOptions.Project();
        var tags = CliOptions.Repeatable("--tag", "A tag");
        var root = new RootCommand { host.Format, host.Quiet, new Command("probe") { project, tags }.WithHandler(host, body) };
        var exit = await root.Parse(args ?? ["probe"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null }, ct);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public static TheoryData<Exception, string, int> Failures() => new()
    {
        { new CliException("no such project"), "Error: no such project", CliException.Failure },
        { CliException.UsageError("--x is required"), "Error: --x is required", CliException.Usage },
        { new LatchkeyApiException(401, "invalid_client", "Client authentication failed."), "Error: 401 invalid_client: Client authentication failed.", CliException.Failure },
        { new HttpRequestException("Connection refused"), "Error: cannot reach Latchkey at http://localhost:4430: Connection refused", CliException.Failure },
        { new TaskCanceledException("timed out"), "Error: no answer from Latchkey at http://localhost:4430 in time", CliException.Failure },
        { new JsonException("'<' is an invalid start of a value."), "Error: unexpected answer from Latchkey: '<' is an invalid start of a value.", CliException.Failure },
        { new InvalidOperationException("first line\n  second line\r\n"), "Error: first line second line", CliException.Failure },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task WithHandler_Exception_IsOneErrorLineAndItsExitCode(Exception failure, string line, int exit)
    {
        var run = await InvokeAsync((_, _) => throw failure);

        Assert.Equal(exit, run.Exit);
        Assert.Equal(line + Environment.NewLine, run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task WithHandler_CancelledByTheCaller_Exits130()
    {
        using var cancel = new CancellationTokenSource();
        var run = await InvokeAsync(async (_, ct) =>
        {
            await cancel.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, ct: cancel.Token);

        Assert.Equal(130, run.Exit);
        Assert.Equal("Error: cancelled" + Environment.NewLine, run.Err);
    }

    [Fact]
    public async Task WithHandler_Success_ExitsZero()
    {
        var run = await InvokeAsync((ctx, _) =>
        {
            ctx.Output.Ids(["done"]);
            return Task.CompletedTask;
        });

        Assert.Equal(0, run.Exit);
        Assert.Equal("done" + Environment.NewLine, run.Out);
    }

    [Fact]
    public async Task Require_FlagBeatsVariable_VariableBeatsNothing()
    {
        var env = new Dictionary<string, string?> { ["LATCHKEY_PROJECT"] = " from-env " };
        string? fromFlag = null, fromEnv = null;

        await InvokeAsync((ctx, _) => Task.FromResult(fromFlag = ctx.Require("flag", "--project", "LATCHKEY_PROJECT")), env: env);
        await InvokeAsync((ctx, _) => Task.FromResult(fromEnv = ctx.Require(" ", "--project", "LATCHKEY_PROJECT")), env: env);
        var missing = await InvokeAsync((ctx, _) => Task.FromResult(ctx.Require(null, "--name")));

        Assert.Equal("flag", fromFlag);
        Assert.Equal("from-env", fromEnv);
        Assert.Equal(CliException.Usage, missing.Exit);
        Assert.Equal("Error: --name is required", missing.Error);
    }

    [Fact]
    public async Task ProjectSlug_NotAnId_IsTakenAsTheSlugWithoutARequest()
    {
        string? slug = null;
        var run = await InvokeAsync(async (ctx, ct) =>
        {
            var project = (Option<string?>)ctx.Parse.CommandResult.Command.Options.Single(o => o.Name == "--project");
            slug = await ctx.ProjectSlugAsync(project, ct);
        }, ["probe", "--project", "my-slug"]);

        Assert.Equal(0, run.Exit);
        Assert.Equal("my-slug", slug);
    }

    [Fact]
    public async Task Values_RepeatedAndCommaSeparated_AreOneList()
    {
        IReadOnlyList<string>? tags = null;
        var run = await InvokeAsync((ctx, _) =>
        {
            var option = (Option<string[]>)ctx.Parse.CommandResult.Command.Options.Single(o => o.Name == "--tag");
            tags = ctx.Values(option);
            return Task.CompletedTask;
        }, ["probe", "--tag", "a,b", "--tag", " c ", "--tag", ","]);

        Assert.Equal(0, run.Exit);
        Assert.Equal(["a", "b", "c"], tags);
    }

    [Fact]
    public async Task ControlPlane_WithoutWorkspaceKey_FailsNamingTheVariable()
    {
        var run = await InvokeAsync((ctx, _) => Task.FromResult(ctx.ControlPlane()),
            env: new() { ["LATCHKEY_PROJECT_API_KEY"] = "lk_pat_x" });

        Assert.Equal(CliException.Failure, run.Exit);
        Assert.Equal("Error: LATCHKEY_WORKSPACE_KEY is not set", run.Error);
    }

    [Fact]
    public async Task Admin_WithEitherKey_IsTheSameClient()
    {
        LatchkeyClient? admin = null;
        var run = await InvokeAsync((ctx, _) => Task.FromResult(admin = ctx.Admin()), env: new() { ["LATCHKEY_WORKSPACE_KEY"] = "lk_wak_x" });

        Assert.Equal(0, run.Exit);
        Assert.Equal("lk_wak_x", admin!.WorkspaceKey);
        Assert.Null(admin.ProjectApiKey);
    }
}
