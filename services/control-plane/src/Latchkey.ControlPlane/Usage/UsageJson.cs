namespace Latchkey.ControlPlane.Usage;

/// <summary>
/// <c>GET /projects/{id}/usage</c>: every day of the period (zeros included, so charts need no gaps filled),
/// the period's totals and the plan. Distinct counts do not add up across days, so the totals give their
/// peak day instead.
/// </summary>
internal sealed record UsageJson(
    Guid ProjectId,
    string From,
    string To,
    IReadOnlyList<UsageDayJson> Days,
    UsageTotalsJson Totals,
    UsagePlanJson Plan);

internal sealed record UsageDayJson(
    string Date,
    IReadOnlyDictionary<string, long> Tokens,
    long TokensTotal,
    long AdminCalls,
    long ActiveClients,
    long DistinctSubjects);

internal sealed record UsageTotalsJson(
    IReadOnlyDictionary<string, long> Tokens,
    long TokensTotal,
    long AdminCalls,
    long PeakActiveClients,
    long PeakDistinctSubjects);

/// <summary>The plan's monthly token quota (null: none) and the tokens of the current calendar month (UTC).</summary>
internal sealed record UsagePlanJson(
    string Name,
    long? MonthlyTokenQuota,
    long TokensThisMonth,
    DateTimeOffset QuotaResetsAt);
