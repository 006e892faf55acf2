using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Latchkey.Storage.Usage;

/// <summary>
/// How usage is metered and what the plan allows, from configuration (the same keys as every other
/// <c>LATCHKEY_*</c> setting). One plan for every project for now; a per-project override would start here.
/// </summary>
public sealed record UsageSettings
{
    /// <summary>How often counts move from Redis (or the in-process buffer) to PostgreSQL.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a project found over its monthly quota is refused from memory before PostgreSQL is asked again.</summary>
    public TimeSpan QuotaRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string PlanName { get; init; } = "developer";

    /// <summary>Access tokens a project may be issued per calendar month (UTC); null means no limit.</summary>
    public long? MonthlyTokenQuota { get; init; } = 10_000_000;

    public static UsageSettings From(IConfiguration config)
    {
        var defaults = new UsageSettings();
        var quota = config["LATCHKEY_PLAN_DEFAULT_MONTHLY_TOKENS"];
        return new UsageSettings
        {
            FlushInterval = Seconds(config["LATCHKEY_USAGE_FLUSH_SECONDS"], defaults.FlushInterval),
            QuotaRefreshInterval = Seconds(config["LATCHKEY_USAGE_QUOTA_REFRESH_SECONDS"], defaults.QuotaRefreshInterval),
            PlanName = string.IsNullOrWhiteSpace(config["LATCHKEY_PLAN_DEFAULT_NAME"]) ? defaults.PlanName : config["LATCHKEY_PLAN_DEFAULT_NAME"]!,
            MonthlyTokenQuota = string.IsNullOrWhiteSpace(quota) ? defaults.MonthlyTokenQuota
                : long.TryParse(quota, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit
                : quota.Trim() is "0" or "unlimited" ? null
                : throw new InvalidOperationException($"LATCHKEY_PLAN_DEFAULT_MONTHLY_TOKENS must be a positive integer, 0 or 'unlimited', not '{quota}'."),
        };
    }

    static TimeSpan Seconds(string? value, TimeSpan fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds)
        : throw new InvalidOperationException($"Expected a positive number of seconds, not '{value}'.");
}
