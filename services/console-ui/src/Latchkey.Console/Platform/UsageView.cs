using System.Globalization;
using System.Text.Json;

namespace Latchkey.Console.Platform;

/// <summary>What the usage partial shows: a period's report (null when metering is unavailable), month-to-date tokens and prices.</summary>
public sealed record UsageView(string BasePath, DateOnly Today, DateOnly From, DateOnly To, UsageReport? Report, long MonthTokens, Pricing Pricing)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>No usage predates it; the control plane refuses earlier days.</summary>
    static readonly DateOnly Earliest = new(2000, 1, 1);

    /// <summary>
    /// The period the query asks for, clamped to what the control plane accepts: days from <see cref="Earliest"/> to a
    /// year ahead, at most 366 of them. Unclamped, <c>to=0001-01-01</c> stepped out of DateOnly's range (a 500).
    /// </summary>
    public static (DateOnly From, DateOnly To) Period(string? from, string? to, DateOnly today)
    {
        var latest = today.AddDays(366);
        DateOnly Clamp(DateOnly day) => day < Earliest ? Earliest : day > latest ? latest : day;
        var end = Clamp(Parse(to) ?? today);
        var start = Clamp(Parse(from) ?? DateOnly.FromDayNumber(Math.Max(Earliest.DayNumber, end.DayNumber - 29)));
        if (start > end) (start, end) = (end, start);
        if (end.DayNumber - start.DayNumber > 365) start = end.AddDays(-365);
        return (start, end);
    }

    /// <summary>The day (UTC) usage is counted in.</summary>
    public static DateOnly TodayOf(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static DateOnly MonthStartOf(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>The quick choices next to the date inputs: label, from, to.</summary>
    public IEnumerable<(string Label, DateOnly From, DateOnly To)> Presets =>
    [
        ("7 days", Today.AddDays(-6), Today),
        ("30 days", Today.AddDays(-29), Today),
        ("This month", MonthStartOf(Today), Today),
        ("90 days", Today.AddDays(-89), Today),
    ];

    public string Link(DateOnly from, DateOnly to) => $"{BasePath}?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";

    public double QuotaShare => Pricing.MonthlyTokens <= 0 ? 0 : Math.Min(1, MonthTokens / (double)Pricing.MonthlyTokens);

    public string TokensChart()
    {
        var days = Report!.Calendar();
        var grants = Report.Grants;
        return JsonSerializer.Serialize(new
        {
            type = "bar",
            stacked = true,
            labels = days.Select(d => d.Date.ToString("MMM d", CultureInfo.InvariantCulture)),
            datasets = grants.Count == 0
                ? [new { label = "tokens", data = days.Select(d => d.TokensTotal) }]
                : grants.Select(g => new { label = g, data = days.Select(d => d.Tokens.GetValueOrDefault(g)) }).ToArray(),
        }, Json);
    }

    public string ActivityChart()
    {
        var days = Report!.Calendar();
        return JsonSerializer.Serialize(new
        {
            type = "line",
            labels = days.Select(d => d.Date.ToString("MMM d", CultureInfo.InvariantCulture)),
            datasets = new[]
            {
                new { label = "Active clients", data = days.Select(d => d.ActiveClients) },
                new { label = "Distinct subjects", data = days.Select(d => d.DistinctSubjects) },
                new { label = "Admin API calls", data = days.Select(d => d.AdminCalls) },
            },
        }, Json);
    }

    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static DateOnly? Parse(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
