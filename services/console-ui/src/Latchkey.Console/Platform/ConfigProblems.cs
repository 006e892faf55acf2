using System.Text.RegularExpressions;

namespace Latchkey.Console.Platform;

/// <summary>Splits the control plane's 400 reason ("/services/oauth2/config/ttl/access_token: '…' is not …") into one message per JSON path.</summary>
public static partial class ConfigProblems
{
    public static IReadOnlyDictionary<string, string> ByPath(string? reason)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(reason)) return problems;
        var matches = PathPattern().Matches(reason);
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : reason.Length;
            problems[matches[i].Groups["path"].Value] = reason[start..end].Trim();
        }
        return problems;
    }

    [GeneratedRegex("(?<path>/services/oauth2/config/[a-z_/]+):\\s*")]
    private static partial Regex PathPattern();
}
