using System.Globalization;
using System.Text.RegularExpressions;

namespace Latchkey.Bench;

/// <summary>
/// The figures of one wrk run, read from its text output (<c>--latency</c>); a missing figure is null.
/// <see cref="Requests"/> is the total wrk completed (its "N requests in" line), the divisor of CPU per request.
/// </summary>
sealed partial record WrkResult(string? RequestsPerSecond, string? P50, string? P99, long Non2xx, long SocketErrors, long Requests = 0)
{
    public static WrkResult Parse(string output) => new(
        First(RequestsPerSecondPattern(), output),
        First(PercentilePattern("50"), output),
        First(PercentilePattern("99"), output),
        long.TryParse(First(Non2xxPattern(), output), CultureInfo.InvariantCulture, out var non2xx) ? non2xx : 0,
        SocketErrorsPattern().Match(output) is { Success: true } errors
            ? NumberPattern().Matches(errors.Groups[1].Value).Sum(m => long.Parse(m.Value, CultureInfo.InvariantCulture))
            : 0,
        long.TryParse(First(RequestsPattern(), output), CultureInfo.InvariantCulture, out var requests) ? requests : 0);

    /// <summary>Requests per second as a number, for the ratio of two runs; null when wrk printed none.</summary>
    public double? Rate =>
        double.TryParse(RequestsPerSecond, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) ? rate : null;

    static string? First(Regex pattern, string output) => pattern.Match(output) is { Success: true } m ? m.Groups[1].Value : null;

    static Regex PercentilePattern(string percent) =>
        new($@"^\s*{percent}%\s+(\S+)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^Requests/sec:\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSecondPattern();

    // "  645 requests in 3.01s, 1.03MB read"
    [GeneratedRegex(@"^\s*([0-9]+) requests in ", RegexOptions.Multiline)]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s*([0-9]+)")]
    private static partial Regex Non2xxPattern();

    // "Socket errors: connect 0, read 2, write 0, timeout 5"
    [GeneratedRegex(@"Socket errors:(.*)$", RegexOptions.Multiline)]
    private static partial Regex SocketErrorsPattern();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex NumberPattern();
}
