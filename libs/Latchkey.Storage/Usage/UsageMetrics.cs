namespace Latchkey.Storage.Usage;

/// <summary>
/// Metric names, the same in Redis hash fields and in PostgreSQL rows. Counters add up; distinct counts
/// (a day's HyperLogLog cardinality) replace a smaller earlier value.
/// </summary>
public static class UsageMetrics
{
    public const string TokensPrefix = "tokens:";
    public const string AdminCalls = "admin_calls";
    public const string ActiveClients = "active_clients";
    public const string DistinctSubjects = "distinct_subjects";

    public static string Tokens(string grantType) => TokensPrefix + grantType;

    public static bool IsDistinct(string metric) => metric is ActiveClients or DistinctSubjects;
}
