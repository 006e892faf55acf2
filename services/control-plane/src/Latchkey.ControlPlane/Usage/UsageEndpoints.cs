using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Http;
using Latchkey.ControlPlane.Projects;
using Latchkey.Storage;
using Latchkey.Storage.Usage;

namespace Latchkey.ControlPlane.Usage;

/// <summary><c>GET /projects/{id}/usage?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</c>: a project's daily usage, UTC days, both ends included.</summary>
internal static class UsageEndpoints
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    /// <summary>No usage predates the platform; a default <c>from</c> is clamped to it.</summary>
    static readonly DateOnly EarliestDay = new(2000, 1, 1);

    /// <summary>
    /// Maps the route; it needs nothing registered beyond <c>AddLatchkeyStorage</c> (the usage tables are created by
    /// the oauth2 service, which writes them; until then a project simply has no usage).
    /// </summary>
    public static RouteGroupBuilder MapProjectUsage(this RouteGroupBuilder projects)
    {
        projects.MapGet("/{id}/usage", Get);
        return projects;
    }

    static async Task<IResult> Get(string id, string? from, string? to, HttpContext http, ProjectStore projects, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var projectId) || await projects.FindAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, ct) is null)
            return ControlPlaneErrors.ProjectNotFound.ToResult();

        var services = http.RequestServices;
        var settings = UsageSettings.From(services.GetRequiredService<IConfiguration>());
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (Period(from, to, today, out var first, out var last) is { } problem) return ControlPlaneErrors.Invalid(problem).ToResult();

        var store = new UsageStore(services.GetRequiredService<Npgsql.NpgsqlDataSource>());
        var reader = new UsageReader(store, services.GetRequiredService<RedisConnection>());
        var counts = await reader.ReadAsync(projectId, first, last, today, ct);

        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var monthCounts = first <= monthStart && last >= today ? counts : await reader.ReadAsync(projectId, monthStart, today, today, ct);
        var plan = new UsagePlanJson(
            settings.PlanName,
            settings.MonthlyTokenQuota,
            monthCounts.Where(c => c.Day >= monthStart && c.Day <= today && c.Metric.StartsWith(UsageMetrics.TokensPrefix, StringComparison.Ordinal)).Sum(c => c.Value),
            new DateTimeOffset(monthStart.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        return TypedResults.Ok(UsageReader.ToJson(projectId, first, last, counts, plan));
    }

    /// <summary>
    /// Defaults: <c>to</c> today, <c>from</c> 29 days before <c>to</c>. Returns the problem, or null. Both ends must lie
    /// between <see cref="EarliestDay"/> and a year after today, so no date arithmetic on them can leave
    /// <see cref="DateOnly"/>'s range (9999-12-31 plus a day was a 500).
    /// </summary>
    static string? Period(string? from, string? to, DateOnly today, out DateOnly first, out DateOnly last)
    {
        first = last = today;
        var latest = today.AddDays(MaxDays);
        var range = $"between {UsageKeys.Format(EarliestDay)} and {UsageKeys.Format(latest)}";
        if (!string.IsNullOrEmpty(to) && !UsageKeys.TryParseDay(to, out last))
            return "'to' must be a date in the form YYYY-MM-DD.";
        if (last < EarliestDay || last > latest) return $"'to' must lie {range}.";
        if (string.IsNullOrEmpty(from)) first = last.DayNumber - EarliestDay.DayNumber < DefaultDays ? EarliestDay : last.AddDays(-(DefaultDays - 1));
        else if (!UsageKeys.TryParseDay(from, out first))
            return "'from' must be a date in the form YYYY-MM-DD.";
        if (first < EarliestDay || first > latest) return $"'from' must lie {range}.";
        if (first > last) return "'from' must not be after 'to'.";
        if (last.DayNumber - first.DayNumber + 1 > MaxDays) return $"The period may span at most {MaxDays} days.";
        return null;
    }
}
