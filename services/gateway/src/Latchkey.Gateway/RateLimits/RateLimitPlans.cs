using Latchkey.Storage.Usage;

namespace Latchkey.Gateway.RateLimits;

/// <summary>A bucket's two limits, as Ory Network states them: a burst per second and a sustained rate per minute.</summary>
public sealed record BucketLimits(int Burst, int Sustained)
{
    public static readonly TimeSpan BurstWindow = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan SustainedWindow = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Endpoint classes of a project's host: one counter per project and class, shared by every endpoint in it
/// (Ory Network's buckets), so heavy introspection does not starve sign-ins and the reverse.
/// </summary>
public enum Bucket
{
    /// <summary><c>/oauth2/token</c> and <c>/oauth2/revoke</c>: what machines call in a loop.</summary>
    Token,

    /// <summary><c>/admin/oauth2/introspect</c>: resource servers, once per API call they serve.</summary>
    Introspect,

    /// <summary>The rest of <c>/admin</c> (Hydra's admin API: clients, flows, keys).</summary>
    Admin,

    /// <summary>Everything else: discovery, JWKS, authorize, userinfo, hosted pages.</summary>
    Other,
}

/// <summary>
/// What each plan allows a project per bucket, by the project's environment, modelled on Ory Network's
/// project rate limits: the Developer plan has the same small limits everywhere; paid plans raise them for
/// <c>prod</c> projects only (staging and development projects keep the Developer limits); Enterprise has none.
/// The plan is the operator's <c>LATCHKEY_PLAN_DEFAULT_NAME</c> (the control plane's usage model: one plan for
/// every project, shown by <c>GET /projects/{id}/usage</c>); the environment is the project's.
/// </summary>
public sealed class RateLimitPlans
{
    static readonly Dictionary<Bucket, BucketLimits> Developer = new()
    {
        [Bucket.Token] = new(10, 300),
        [Bucket.Introspect] = new(10, 300),
        [Bucket.Admin] = new(5, 150),
        [Bucket.Other] = new(5, 150),
    };

    static readonly Dictionary<string, Dictionary<Bucket, BucketLimits>?> Production = new(StringComparer.OrdinalIgnoreCase)
    {
        ["developer"] = Developer,
        ["production"] = new()
        {
            [Bucket.Token] = new(80, 1800),
            [Bucket.Introspect] = new(80, 1800),
            [Bucket.Admin] = new(10, 300),
            [Bucket.Other] = new(40, 900),
        },
        ["growth"] = new()
        {
            [Bucket.Token] = new(800, 18000),
            [Bucket.Introspect] = new(800, 18000),
            [Bucket.Admin] = new(20, 600),
            [Bucket.Other] = new(400, 9000),
        },
        ["enterprise"] = null,
    };

    readonly Dictionary<Bucket, BucketLimits>? _prod;
    readonly Dictionary<Bucket, BucketLimits>? _other;

    public RateLimitPlans(string plan, bool enabled)
    {
        Plan = plan;
        Enabled = enabled;
        if (!enabled) return;
        if (!Production.TryGetValue(plan, out _prod))
            throw new InvalidOperationException(
                $"LATCHKEY_PLAN_DEFAULT_NAME is '{plan}', which the gateway has no rate limits for; use one of {string.Join(", ", Production.Keys)}, " +
                "or turn the gateway's rate limits off with LATCHKEY_RATE_LIMITS=false.");
        _other = _prod is null ? null : Developer;
    }

    public string Plan { get; }

    /// <summary><c>LATCHKEY_RATE_LIMITS</c> (default true).</summary>
    public bool Enabled { get; }

    public static RateLimitPlans From(IConfiguration config)
    {
        var value = config["LATCHKEY_RATE_LIMITS"];
        var enabled = string.IsNullOrWhiteSpace(value) || (bool.TryParse(value, out var flag)
            ? flag
            : throw new InvalidOperationException($"LATCHKEY_RATE_LIMITS must be true or false, not '{value}'."));
        return new RateLimitPlans(UsageSettings.From(config).PlanName, enabled);
    }

    /// <summary>The limits of one bucket of a project in <paramref name="environment"/>; null: unlimited.</summary>
    public BucketLimits? For(string environment, Bucket bucket) =>
        !Enabled ? null : (environment == "prod" ? _prod : _other)?[bucket];

    /// <summary>The bucket a request on a project's host counts against.</summary>
    public static Bucket BucketOf(PathString path) =>
        path.StartsWithSegments("/oauth2/token") || path.StartsWithSegments("/oauth2/revoke") ? Bucket.Token
        : path.StartsWithSegments("/admin/oauth2/introspect") ? Bucket.Introspect
        : path.StartsWithSegments("/admin") ? Bucket.Admin
        : Bucket.Other;
}
