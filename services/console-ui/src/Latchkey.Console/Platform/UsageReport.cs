using System.Globalization;
using System.Text.Json.Nodes;

namespace Latchkey.Console.Platform;

/// <summary>
/// Usage over a period, one entry per day, as <c>GET /projects/{id}/usage</c> answers it. Read leniently:
/// a field the metering service does not send counts as zero, so the console keeps working as it grows.
/// </summary>
public sealed record UsageReport(DateOnly From, DateOnly To, IReadOnlyList<UsageDay> Days)
{
    /// <summary>The plan as the control plane enforces it (<c>plan</c>), when the answer has one.</summary>
    public UsagePlan? Plan { get; init; }

    public long TokensTotal => Days.Sum(d => d.TokensTotal);
    public long AdminCalls => Days.Sum(d => d.AdminCalls);
    public long PeakActiveClients => Days.Count == 0 ? 0 : Days.Max(d => d.ActiveClients);
    public long PeakDistinctSubjects => Days.Count == 0 ? 0 : Days.Max(d => d.DistinctSubjects);

    public IReadOnlyList<string> Grants => Days.SelectMany(d => d.Tokens.Keys).Distinct().Order(StringComparer.Ordinal).ToList();

    public long TokensOf(string grant) => Days.Sum(d => d.Tokens.GetValueOrDefault(grant));

    public static UsageReport Parse(string json)
    {
        var root = JsonNode.Parse(json) as JsonObject ?? [];
        var days = (root["days"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(UsageDay.Parse)
            .Where(d => d is not null)
            .Select(d => d!)
            .OrderBy(d => d.Date)
            .ToList();
        return new UsageReport(Date(root["from"]) ?? days.FirstOrDefault()?.Date ?? default, Date(root["to"]) ?? days.LastOrDefault()?.Date ?? default, days)
        {
            Plan = UsagePlan.Parse(root["plan"] as JsonObject),
        };
    }

    /// <summary>Adds reports of several projects day by day: the workspace's usage.</summary>
    public static UsageReport Sum(DateOnly from, DateOnly to, IEnumerable<UsageReport> reports)
    {
        var days = reports.SelectMany(r => r.Days)
            .GroupBy(d => d.Date)
            .Select(g => new UsageDay(
                g.Key,
                g.SelectMany(d => d.Tokens).GroupBy(t => t.Key).ToDictionary(t => t.Key, t => t.Sum(x => x.Value)),
                g.Sum(d => d.TokensTotal),
                g.Sum(d => d.AdminCalls),
                g.Sum(d => d.ActiveClients),
                g.Sum(d => d.DistinctSubjects)))
            .OrderBy(d => d.Date)
            .ToList();
        return new UsageReport(from, to, days);
    }

    /// <summary>Every day of the period, with zeros where the report has none, so charts keep a true time axis.</summary>
    public IReadOnlyList<UsageDay> Calendar()
    {
        var byDate = Days.ToDictionary(d => d.Date);
        var all = new List<UsageDay>();
        for (var day = From; day <= To && all.Count < 400; day = day.AddDays(1))
            all.Add(byDate.GetValueOrDefault(day) ?? new UsageDay(day, new Dictionary<string, long>(), 0, 0, 0, 0));
        return all;
    }

    internal static DateOnly? Date(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
        && DateOnly.TryParse(text.Length >= 10 ? text[..10] : text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
