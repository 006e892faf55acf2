using System.CommandLine;
using Latchkey.Cli.Output;

namespace Latchkey.Cli;

/// <summary>
/// What one run of the CLI shares across its commands: its writers, its environment, its HTTP connection
/// and the global options. A fresh instance per run keeps in-process runs (tests) independent.
/// </summary>
sealed class CliHost(TextWriter stdout, TextWriter stderr, Func<string, string?> environment, HttpClient http)
{
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;
    public HttpClient Http { get; } = http;

    /// <summary>The CLI's one clock (a process of its own, so its own root); tests set a fake one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Where a file flag given as <c>-</c> is read from (<c>create jwt-bearer-issuer --jwk -</c>).</summary>
    public TextReader Stdin { get; init; } = Console.In;

    public Option<string> Format { get; } = new Option<string>("--format")
    {
        Description = "Output format: table, json (one line), json-pretty or yaml",
        DefaultValueFactory = _ => "table",
        Recursive = true,
        HelpName = "table|json|json-pretty|yaml",
    }.AcceptOnlyFromAmong("table", "json", "json-pretty", "yaml");

    public Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Print only identifiers (ids, or the secret value where that is the point of the command)",
        Recursive = true,
    };

    public string? Env(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

    public Printer PrinterFor(ParseResult parse)
    {
        var format = parse.GetValue(Format) switch
        {
            "json" => OutputFormat.Json,
            "json-pretty" => OutputFormat.JsonPretty,
            "yaml" => OutputFormat.Yaml,
            _ => OutputFormat.Table,
        };
        return new Printer(Stdout, format, parse.GetValue(Quiet));
    }
}
