using System.Globalization;

namespace Latchkey.Storage.Ops;

/// <summary>
/// Redis layout of the per-project endpoint metrics behind the console's Ops page: one hash per project and
/// UTC minute, <c>lk:{projectId}:ops:{yyyyMMddHHmm}</c>, kept for <see cref="Lifetime"/>. Its fields, per
/// endpoint: <c>{endpoint}:requests</c>, <c>{endpoint}:errors</c> (status 500 and up),
/// <c>{endpoint}:client_errors</c> (4xx) and one latency bucket <c>{endpoint}:le:{ms}</c> per request
/// (<c>le:inf</c> beyond the last bound). Best effort: without Redis nothing is recorded.
/// </summary>
public static class OpsKeys
{
    public const string Token = "token";
    public const string Introspection = "introspection";
    public const string Authorization = "authorization";

    public static readonly IReadOnlyList<string> Endpoints = [Token, Introspection, Authorization];

    /// <summary>Upper bounds of the latency buckets, in milliseconds.</summary>
    public static readonly IReadOnlyList<int> BucketBoundsMs = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];

    public const string Overflow = "inf";

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);

    public static string Minute(Guid projectId, DateTimeOffset minute) =>
        $"lk:{projectId}:ops:{minute.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}";

    /// <summary>The bucket a latency falls in: the first bound it does not exceed, or <see cref="Overflow"/>.</summary>
    public static string Bucket(double elapsedMs)
    {
        foreach (var bound in BucketBoundsMs)
            if (elapsedMs <= bound) return bound.ToString(CultureInfo.InvariantCulture);
        return Overflow;
    }

    /// <summary>The endpoint a request path is metered as, or null.</summary>
    public static string? EndpointOf(string? path) => path?.TrimEnd('/').ToLowerInvariant() switch
    {
        "/oauth2/token" => Token,
        "/admin/oauth2/introspect" => Introspection,
        "/oauth2/auth" => Authorization,
        _ => null,
    };
}
