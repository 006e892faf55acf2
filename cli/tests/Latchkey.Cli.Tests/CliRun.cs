namespace Latchkey.Cli.Tests;

/// <summary>One in-process run of the CLI with a given environment (nothing from the process's own).</summary>
sealed record CliRun(int Exit, string Out, string Err)
{
    /// <summary>A gateway nobody listens on: anything that gets as far as a request fails fast, refused.</summary>
    public const string Unreachable = "http://127.0.0.1:1";

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    public static async Task<CliRun> RunAsync(Dictionary<string, string?> env, params string[] args)
    {
        env.TryAdd("LATCHKEY_PUBLIC_URL", Unreachable);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.RunAsync(args, stdout, stderr, env);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The first line on stderr, which is the whole error for every failure.</summary>
    public string Error => Err.ReplaceLineEndings("\n").Split('\n')[0];

    public static Dictionary<string, string?> WithWorkspaceKey() => new() { ["LATCHKEY_WORKSPACE_KEY"] = "lk_wak_test" };
}
