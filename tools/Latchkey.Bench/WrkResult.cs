using System.Globalization;
using System.Text.RegularExpressions;

namespace Latchkey.Bench;

/// <summary>The figures of one wrk run, read from its text output (<c>--latency</c>); a missing figure is null.</summary>
sealed partial record WrkResult(string? RequestsPerSecond, string? P50, string? P99, long Non2xx, long SocketErrors)
{
    public static WrkResult Parse(string output) => new(
        First(RequestsPattern(), output),
        First(PercentilePattern("50"), output),
        First(PercentilePattern("99"), output),
        long.TryParse(First(Non2xxPattern(), output), CultureInfo.InvariantCulture, out var non2xx) ? non2xx : 0,
        SocketErrorsPattern().Match(output) is { Success: true } errors
            ? NumberPattern().Matches(errors.Groups[1].Value).Sum(m => long.Parse(m.Value, CultureInfo.InvariantCulture))
            : 0);

    static string? First(Regex pattern, string output) => pattern.Match(output) is { Success: true } m ? m.Groups[1].Value : null;

    static Regex PercentilePattern(string percent) =>
        new($@"^\s*{percent}%\s+(\S+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^Requests/sec:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s*([0-9]+)")]
    private static partial Regex Non2xxPattern();

    // "Socket errors: connect 0, read 2, write 0, timeout 5"
    [GeneratedRegex(@"Socket errors:(.*)$", RegexOptions.Multiline)]
    private static partial Regex SocketErrorsPattern();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex NumberPattern();
}
