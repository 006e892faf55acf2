using System.Globalization;
using System.Text.RegularExpressions;

namespace Latchkey.OAuth2.Storage;

/// <summary>What a janitor run prunes; <c>--tokens</c>, <c>--grants</c>, … on the command line.</summary>
[Flags]
public enum JanitorTargets
{
    None = 0,

    /// <summary>Tokens expired before the cut-off, and revoked or rejected ones created before it.</summary>
    Tokens = 1,

    /// <summary>Authorizations (grants) revoked, or ad hoc with no valid token left, created before the cut-off; used JWT assertion ids past their expiry.</summary>
    Grants = 2,

    /// <summary>Login/consent flows that expired unfinished, expired logout flows and expired device requests.</summary>
    Requests = 4,

    /// <summary>Expired login sessions and console session keys, and stale sign-in failure records.</summary>
    Sessions = 8,

    /// <summary>Every tenant row of projects deleted before the cut-off.</summary>
    Projects = 16,

    All = Tokens | Grants | Requests | Sessions | Projects,
}

/// <summary>
/// One janitor run's settings, as <c>hydra janitor</c> takes them: what to prune, how long to keep what became
/// useless (<see cref="KeepIfYounger"/>), how many rows one statement deletes and at most how many per table.
/// </summary>
public sealed partial record JanitorOptions
{
    public const int DefaultBatchSize = 1_000;
    public const int MaxBatchSize = 100_000;

    /// <summary>The longest <c>--keep-if-younger</c> taken: ten years.</summary>
    public static readonly TimeSpan MaxKeep = TimeSpan.FromDays(3650);

    public JanitorTargets Targets { get; init; } = JanitorTargets.All;

    /// <summary>Rows that became useless less than this long ago stay: the cut-off is now minus this.</summary>
    public TimeSpan KeepIfYounger { get; init; }

    /// <summary>Rows one DELETE removes at most; each is its own short transaction.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Rows deleted per table at most in this run (Hydra's <c>--limit</c>); null means until none is left.</summary>
    public long? Limit { get; init; }

    public const string Usage = """
        usage: dotnet Latchkey.OAuth2.dll janitor [--tokens] [--grants] [--requests] [--sessions] [--projects]
                                                  [--keep-if-younger DURATION] [--batch-size N] [--limit N]
                                                  [--LATCHKEY_DATABASE_URL=...]
          --tokens            expired tokens; revoked and rejected ones
          --grants            revoked authorizations, and ad hoc ones with no valid token left
          --requests          login/consent flows that expired unfinished, expired logout flows
          --sessions          expired login sessions and console session keys, stale sign-in failure records
          --projects          every row of deleted projects (clients, tokens, flows, keys, users)
                              (none of the five: all of them)
          --keep-if-younger   keep rows that became useless less than DURATION ago, e.g. 30m, 24h, 1h30m (default 0)
          --batch-size        rows per DELETE, each its own transaction, 1 to 100000 (default 1000)
          --limit             rows per table at most in this run (default: all)
        """;

    static readonly Dictionary<string, JanitorTargets> Switches = new(StringComparer.Ordinal)
    {
        ["--tokens"] = JanitorTargets.Tokens,
        ["--grants"] = JanitorTargets.Grants,
        ["--requests"] = JanitorTargets.Requests,
        ["--sessions"] = JanitorTargets.Sessions,
        ["--projects"] = JanitorTargets.Projects,
    };

    /// <summary>
    /// Reads the janitor's own flags (<c>--flag value</c> or <c>--flag=value</c>); every other <c>--KEY=value</c>
    /// is a setting, returned in <paramref name="settings"/> for the configuration. Returns an error message
    /// naming the flag, or null.
    /// </summary>
    public static string? TryParse(IReadOnlyList<string> args, out JanitorOptions options, out List<string> settings)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new JanitorOptions();
        settings = [];
        var targets = JanitorTargets.None;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            if (Switches.TryGetValue(name, out var target))
            {
                if (equals > 0) return $"{name} takes no value";
                targets |= target;
                continue;
            }
            if (name is not ("--keep-if-younger" or "--batch-size" or "--limit"))
            {
                if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
                {
                    settings.Add(arg);
                    continue;
                }
                return $"unknown argument '{arg}'";
            }
            if (!seen.Add(name)) return $"{name} is given twice";
            string value;
            if (equals > 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count) value = args[++i];
            else return $"{name} needs a value";

            switch (name)
            {
                case "--keep-if-younger":
                    if (!TryParseDuration(value, out var keep) || keep > MaxKeep)
                        return $"--keep-if-younger: '{value}' is not a duration from 0 to 3650 days, such as 30m, 24h or 1h30m";
                    options = options with { KeepIfYounger = keep };
                    break;
                case "--batch-size":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var batch) || batch is < 1 or > MaxBatchSize)
                        return $"--batch-size: '{value}' is not a whole number from 1 to {MaxBatchSize}";
                    options = options with { BatchSize = batch };
                    break;
                default:
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
                        return $"--limit: '{value}' is not a whole number of 1 or more";
                    options = options with { Limit = limit };
                    break;
            }
        }
        options = options with { Targets = targets == JanitorTargets.None ? JanitorTargets.All : targets };
        return null;
    }

    /// <summary>
    /// A duration as Go writes them (what <c>hydra janitor --keep-if-younger</c> takes): one or more number-unit
    /// pairs, units h, m, s, ms, us, ns (<c>24h</c>, <c>1h30m</c>, <c>90s</c>, <c>1.5h</c>), or a bare <c>0</c>. Never negative.
    /// </summary>
    public static bool TryParseDuration(string? value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(value) || value.Length > 64) return false;
        if (value == "0") return true;
        if (!DurationShape().IsMatch(value)) return false;
        var ticks = 0m;
        foreach (Match part in DurationPart().Matches(value))
        {
            var number = decimal.Parse(part.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += number * part.Groups[2].Value switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                _ => 0.01m, // ns: a tick is 100 ns
            };
            if (ticks > MaxKeep.Ticks * 10m) return false;
        }
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    [GeneratedRegex(@"^(?:[0-9]+(?:\.[0-9]+)?(?:h|ms|m|s|us|µs|ns))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationShape();

    [GeneratedRegex(@"([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|µs|ns)", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPart();
}
