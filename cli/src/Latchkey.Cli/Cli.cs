using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Latchkey.Cli;

/// <summary>The <c>latchkey</c> command line, runnable in-process so tests can drive it.</summary>
public static class Cli
{
    static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs one command line. <paramref name="environment"/> replaces the process environment when given
    /// (variables missing from it count as unset). Returns 0 on success, 1 on failure, 2 on a usage error;
    /// every failure is one <c>Error: …</c> line on <paramref name="stderr"/>.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IDictionary<string, string?>? environment = null) =>
        RunAsync(args, stdout, stderr, environment, CancellationToken.None);

    /// <summary>
    /// Runs one command line until it ends or <paramref name="ct"/> is cancelled (exit code 130). In-process callers use
    /// it to stop a command that waits on something outside, such as <c>perform authorization-code</c> waiting for a browser.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IDictionary<string, string?>? environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        Func<string, string?> env = environment is null
            ? Environment.GetEnvironmentVariable
            : name => environment.TryGetValue(name, out var value) ? value : null;

        using var http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = RequestTimeout,
        };
        var host = new CliHost(stdout, stderr, env, http);
        var root = CommandTree.Build(host);

        var parse = root.Parse(args);
        if (args.Length == 0)
            parse = root.Parse(["--help"]);

        if (parse.Action is ParseErrorAction)
        {
            foreach (var message in ErrorLines(parse))
                await stderr.WriteLineAsync($"Error: {message}");
            await stderr.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
            return CliException.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C simply ends the process; in-process runs must not install signal handlers.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, ct);
        }
        catch (Exception ex)
        {
            // Commands map their own failures; this only catches what escapes the parser's own actions.
            await stderr.WriteLineAsync($"Error: {ex.Message}");
            return CliException.Failure;
        }
    }

    static List<string> ErrorLines(ParseResult parse)
    {
        var messages = parse.Errors
            .Select(e => string.Join(' ', e.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Distinct()
            .ToList();
        // "Required command was not provided" only adds noise next to the error that explains it (a typo'd noun).
        var specific = messages.Where(m => !m.StartsWith("Required command", StringComparison.Ordinal)).ToList();
        return specific.Count > 0 ? specific : messages;
    }

    static string CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null; current = current.Parent as CommandResult)
            names.Push(current.Command is RootCommand ? "latchkey" : current.Command.Name);
        return names.Count == 0 ? "latchkey" : string.Join(' ', names);
    }
}
