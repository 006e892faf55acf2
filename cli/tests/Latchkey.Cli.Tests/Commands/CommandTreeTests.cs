using System.CommandLine;
using Xunit;

namespace Latchkey.Cli.Tests.Commands;

/// <summary>The tree as a whole: every command documents itself, and what is not a command is a usage error.</summary>
public sealed class CommandTreeTests
{
    public static TheoryData<string> Commands()
    {
        using var http = new HttpClient();
        var root = CommandTree.Build(new CliHost(TextWriter.Null, TextWriter.Null, _ => null, http));
        var paths = new TheoryData<string>();
        foreach (var verb in root.Subcommands)
            foreach (var noun in verb.Subcommands)
                paths.Add($"{verb.Name} {noun.Name}");
        return paths;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_EveryCommand_PrintsUsageAndExitsZero(string command)
    {
        var run = await CliRun.RunAsync([.. command.Split(' '), "--help"]);

        Assert.Equal(0, run.Exit);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains(command.Split(' ')[1], run.Out);
        Assert.Equal("", run.Err);
    }

    [Fact]
    public async Task NoArguments_PrintsRootHelp()
    {
        var run = await CliRun.RunAsync();

        Assert.Equal(0, run.Exit);
        Assert.Contains("LATCHKEY_PUBLIC_URL", run.Out);
    }

    [Fact]
    public async Task UnknownVerb_IsAUsageErrorPointingAtHelp()
    {
        var run = await CliRun.RunAsync("frobnicate", "project");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.StartsWith("Error: ", run.Error);
        Assert.Contains("frobnicate", run.Err);
        Assert.Contains("Run 'latchkey --help' for usage.", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task UnknownNoun_NamesTheNounNotAMissingCommand()
    {
        var run = await CliRun.RunAsync("create", "widget");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains("widget", run.Error);
        Assert.DoesNotContain("Required command", run.Err);
        Assert.Contains("Run 'latchkey create --help' for usage.", run.Err);
    }

    [Fact]
    public async Task Format_UnknownValue_IsAUsageError()
    {
        var run = await CliRun.RunAsync(CliRun.WithWorkspaceKey(), "list", "projects", "--format", "xml");

        Assert.Equal(CliException.Usage, run.Exit);
        Assert.Contains("xml", run.Error);
    }

    [Fact]
    public void Format_Unset_DefaultsToTableAndIsAcceptedOnEveryCommand()
    {
        using var http = new HttpClient();
        var host = new CliHost(TextWriter.Null, TextWriter.Null, _ => null, http);
        var root = CommandTree.Build(host);

        Assert.Equal("table", root.Parse(["list", "projects"]).GetValue(host.Format));
        Assert.Equal("yaml", root.Parse(["get", "project", "p", "--format", "yaml"]).GetValue(host.Format));
        Assert.True(root.Parse(["list", "oauth2-clients", "-q"]).GetValue(host.Quiet));
        Assert.Empty(root.Parse(["get", "project", "p", "--format", "json-pretty", "-q"]).Errors);
    }
}
