using System.Globalization;

namespace Latchkey.Storage.Usage;

/// <summary>
/// Redis keys of usage metering. Per project and UTC day: a hash of counters and two HyperLogLogs.
/// Per deployment (<paramref name="scope"/>: an id kept in PostgreSQL, so that deployments or test
/// platforms sharing one Redis never flush each other's counts): the set of project-days waiting for a
/// flush, and the flushes in progress.
/// </summary>
public static class UsageKeys
{
    public static string Day(Guid projectId, DateOnly day) => $"lk:{projectId}:usage:{Format(day)}";

    public static string Clients(Guid projectId, DateOnly day) => Day(projectId, day) + ":clients";

    public static string Subjects(Guid projectId, DateOnly day) => Day(projectId, day) + ":subjects";

    public static string InFlight(Guid projectId, DateOnly day, string flushId) => Day(projectId, day) + ":flush:" + flushId;

    public static string Pending(string scope) => $"lk:usage:{scope}:pending";

    public static string InFlightIndex(string scope) => $"lk:usage:{scope}:inflight";

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
