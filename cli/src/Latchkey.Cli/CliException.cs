namespace Latchkey.Cli;

/// <summary>
/// An expected failure reported as one line on stderr: exit code 1 for failures (missing key, unknown project),
/// 2 for usage errors (a malformed flag value, a missing flag the parser could not enforce).
/// </summary>
sealed class CliException(string message, int exitCode = CliException.Failure) : Exception(message)
{
    public const int Failure = 1;
    public const int Usage = 2;

    public int ExitCode { get; } = exitCode;

    public static CliException UsageError(string message) => new(message, Usage);
}
