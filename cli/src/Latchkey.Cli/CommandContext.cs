using System.CommandLine;
using Latchkey.Cli.Output;
using Latchkey.Client;

namespace Latchkey.Cli;

/// <summary>One command's invocation: its parsed values, its printer and lazily built, credential-checked clients.</summary>
sealed class CommandContext(CliHost host, ParseResult parse)
{
    public const string ProjectVariable = "LATCHKEY_PROJECT";

    LatchkeyClient? _client;

    public ParseResult Parse { get; } = parse;
    public Printer Output { get; } = host.PrinterFor(parse);
    public TextWriter Stderr => host.Stderr;
    public TimeProvider Clock => host.Clock;
    public TextReader Stdin => host.Stdin;

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T? Value<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>Values of a repeatable option, also split on commas as the Ory CLI's string-slice flags are.</summary>
    public IReadOnlyList<string> Values(Option<string[]> option) =>
        (Parse.GetValue(option) ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

    public string? Env(string name) => host.Env(name);

    /// <summary>The client as configured by the environment, without requiring any key.</summary>
    public LatchkeyClient Client => _client ??= LatchkeyClient.FromEnvironment(host.Http, host.Env);

    /// <summary>A client for the control plane; fails unless a workspace key is set.</summary>
    public LatchkeyClient ControlPlane() =>
        Client.WorkspaceKey is null ? throw new CliException($"{LatchkeyClient.WorkspaceKeyVariable} is not set") : Client;

    /// <summary>A client for a project's admin API: project key preferred, else workspace key.</summary>
    public LatchkeyClient Admin() =>
        Client.ProjectApiKey is null && Client.WorkspaceKey is null
            ? throw new CliException($"neither {LatchkeyClient.ProjectApiKeyVariable} nor {LatchkeyClient.WorkspaceKeyVariable} is set")
            : Client;

    /// <summary>A flag's value, else the environment variable's, else a usage error naming both.</summary>
    public string Require(string? value, string flag, string? variable = null) =>
        !string.IsNullOrWhiteSpace(value) ? value
        : variable is not null && Env(variable) is { } fromEnv ? fromEnv
        : throw CliException.UsageError(variable is null ? $"{flag} is required" : $"{flag} is required (or set {variable})");

    /// <summary>
    /// The slug of <c>--project</c> (or <c>LATCHKEY_PROJECT</c>). A UUID is a project id, resolved to its slug through
    /// the control plane, which needs the workspace key; anything else is taken as the slug.
    /// </summary>
    public async Task<string> ProjectSlugAsync(Option<string?> projectOption, CancellationToken ct)
    {
        var project = Require(Value(projectOption), "--project", ProjectVariable);
        if (!IsProjectId(project))
            return project;
        if (Client.WorkspaceKey is null)
            throw new CliException(
                $"--project {project} is a project id; set {LatchkeyClient.WorkspaceKeyVariable} to resolve it, or pass the project's slug");
        var resolved = await Client.GetProjectAsync(project, ct);
        return string.IsNullOrEmpty(resolved.Slug) ? throw new CliException($"project {project} has no slug") : resolved.Slug;
    }

    /// <summary>The id of a project named by id or by slug (a slug is looked up in <c>GET /projects</c>).</summary>
    public async Task<string> ProjectIdAsync(string idOrSlug, CancellationToken ct)
    {
        var client = ControlPlane();
        if (IsProjectId(idOrSlug))
            return idOrSlug;
        var projects = await client.ListProjectsAsync(ct);
        return projects.FirstOrDefault(p => string.Equals(p.Slug, idOrSlug, StringComparison.OrdinalIgnoreCase))?.Id
            ?? throw new CliException($"no project has the id or slug '{idOrSlug}' (see: latchkey list projects)");
    }

    static bool IsProjectId(string value) => Guid.TryParse(value, out _);
}
