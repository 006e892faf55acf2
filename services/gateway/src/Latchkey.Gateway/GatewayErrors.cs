using System.Globalization;
using Latchkey.Gateway.RateLimits;
using Latchkey.ServiceDefaults;

namespace Latchkey.Gateway;

/// <summary>
/// The gateway's named errors, ids LK6000–LK6499. On a project's host they are in Hydra's OAuth2 shape, like
/// everything else served there; elsewhere in Ory's envelope.
/// </summary>
internal static class GatewayErrors
{
    static string BodyLimit => $"Request bodies are limited to {GatewayApp.MaxRequestBodyBytes / 1024} KB.";

    public static readonly OryError TooLarge = OryError.PayloadTooLarge(BodyLimit) with { Id = "LK6000" };

    public static readonly OAuth2Error ProjectTooLarge = OAuth2Error.PayloadTooLarge(BodyLimit) with { Id = "LK6001" };

    public static OryError UnknownHost(string host) =>
        OryError.NotFound($"Nothing is served at host '{host}'.") with { Id = "LK6002" };

    public static OAuth2Error UnknownProject(string host) =>
        OAuth2Error.NotFound($"No project is served at host '{host}'.") with { Id = "LK6003" };

    /// <summary>
    /// A project over its plan's rate limit for a bucket (ids LK6100–LK6199 are the rate limits'): 429 in the OAuth2
    /// shape with <c>Retry-After</c>; the error code is the one the per-client limits answer (<c>rate_limited</c>).
    /// </summary>
    public static OAuth2Error RateLimited(Bucket bucket, RateLimitDecision decision) =>
        new OAuth2Error("rate_limited", string.Create(CultureInfo.InvariantCulture,
            $"The project has used the {decision.Limit} requests its plan allows its {bucket.ToString().ToLowerInvariant()} endpoints per " +
            $"{(decision.Window == BucketLimits.BurstWindow ? "second" : "minute")}; retry after the time in Retry-After."),
            StatusCodes.Status429TooManyRequests)
        { Id = "LK6100" };
}
