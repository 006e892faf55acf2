using System.CommandLine;
using System.Text.Json;
using Latchkey.Client;

namespace Latchkey.Cli;

static class CommandExtensions
{
    /// <summary>
    /// Sets the command's action and maps every failure to one line on stderr, never a stack trace:
    /// exit 1 for API, network and other failures, 2 for usage errors found after parsing.
    /// </summary>
    public static Command WithHandler(this Command command, CliHost host, Func<CommandContext, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, ct) =>
        {
            CommandContext? context = null;
            try
            {
                context = new CommandContext(host, parse);
                await body(context, ct);
                return 0;
            }
            catch (Exception ex)
            {
                var (message, exitCode) = Describe(ex, context, ct);
                await host.Stderr.WriteLineAsync($"Error: {OneLine(message)}");
                return exitCode;
            }
        });
        return command;
    }

    static (string Message, int ExitCode) Describe(Exception ex, CommandContext? context, CancellationToken ct) => ex switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        LatchkeyApiException api => (api.Message, CliException.Failure),
        HttpRequestException http => ($"cannot reach Latchkey at {Gateway(context)}: {http.GetBaseException().Message}", CliException.Failure),
        OperationCanceledException when !ct.IsCancellationRequested => ($"no answer from Latchkey at {Gateway(context)} in time", CliException.Failure),
        OperationCanceledException => ("cancelled", 130),
        JsonException json => ($"unexpected answer from Latchkey: {json.Message}", CliException.Failure),
        _ => (ex.Message, CliException.Failure),
    };

    static string Gateway(CommandContext? context)
    {
        try
        {
            return context?.Client.Hosts.PublicUrl.ToString().TrimEnd('/') ?? LatchkeyHosts.DefaultPublicUrl;
        }
        catch (ArgumentException)
        {
            return LatchkeyHosts.DefaultPublicUrl;
        }
    }

    static string OneLine(string message) =>
        string.Join(' ', message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
