using System.Globalization;
using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Usage;

/// <summary>The named errors of metering (ids LK4000–LK4499).</summary>
public static class UsageErrors
{
    /// <summary>Answered as 429 with <c>Retry-After</c> by <see cref="UsageHandlers.AttachRateLimitHeaders"/>.</summary>
    public static OAuth2Error QuotaExceeded(QuotaStatus status) =>
        Entry("LK4000", "temporarily_unavailable",
            string.Create(CultureInfo.InvariantCulture,
                $"The project has used its plan's monthly token quota of {status.Limit} access tokens; more can be issued from {status.ResetsAt:yyyy-MM-dd'T'HH:mm:ss'Z'}."), StatusCodes.Status429TooManyRequests);

    static OAuth2Error Entry(string id, string error, string description, int status) => new(error, description, status) { Id = id };
}
