using System.Globalization;
using Latchkey.Tenancy;
using Microsoft.Extensions.Primitives;

namespace Latchkey.Gateway.RateLimits;

/// <summary>
/// After <see cref="HostGuard"/> (which found the project of a project host): counts the request against its
/// project's bucket and answers 429 when the plan's limit is used up, with nothing forwarded. Every answer on
/// a limited project's host carries Ory Network's headers: <c>x-ratelimit-limit</c> (the limit that
/// <c>x-ratelimit-remaining</c> is about, then each window as <c>limit;w=seconds</c>), <c>x-ratelimit-remaining</c>
/// and <c>x-ratelimit-reset</c> (seconds until that window starts over). When a service answers with headers
/// of a tighter limit of its own (the token endpoint's monthly quota), those stay: a client reads the limit it
/// will meet first.
/// </summary>
public sealed class ProjectRateLimiting(RequestDelegate next, RateLimitPlans plans, ProjectRateLimiter limiter)
{
    public const string LimitHeader = "x-ratelimit-limit";
    public const string RemainingHeader = "x-ratelimit-remaining";
    public const string ResetHeader = "x-ratelimit-reset";

    public async Task InvokeAsync(HttpContext http)
    {
        var bucket = RateLimitPlans.BucketOf(http.Request.Path);
        if (http.Features.Get<ProjectInfo>() is not { } project || plans.For(project.Environment, bucket) is not { } limits)
        {
            await next(http);
            return;
        }

        var decision = await limiter.AcquireAsync(project.Id, bucket, limits);
        if (!decision.Allowed)
        {
            Write(http.Response.Headers, decision);
            http.Response.Headers.RetryAfter = Math.Max(1, CeilingSeconds(decision.ResetAfter)).ToString(CultureInfo.InvariantCulture);
            await GatewayErrors.RateLimited(bucket, decision).WriteAsync(http);
            return;
        }

        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            if (!(long.TryParse(headers[RemainingHeader], NumberStyles.Integer, CultureInfo.InvariantCulture, out var theirs) && theirs <= decision.Remaining))
                Write(headers, decision);
            return Task.CompletedTask;
        });
        await next(http);
    }

    static void Write(IHeaderDictionary headers, RateLimitDecision decision)
    {
        var l = decision.Limits;
        headers[LimitHeader] = new StringValues(string.Create(CultureInfo.InvariantCulture,
            $"{decision.Limit}, {l.Burst};w={BucketLimits.BurstWindow.TotalSeconds}, {l.Sustained};w={BucketLimits.SustainedWindow.TotalSeconds}"));
        headers[RemainingHeader] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers[ResetHeader] = CeilingSeconds(decision.ResetAfter).ToString(CultureInfo.InvariantCulture);
    }

    static long CeilingSeconds(TimeSpan t) => Math.Max(0, (long)Math.Ceiling(t.TotalSeconds));
}
