using Latchkey.Storage.Usage;

namespace Latchkey.OAuth2.Usage;

public static class UsageMetering
{
    /// <summary>
    /// Usage metering and the monthly token quota: counters and the flusher. The token endpoint's handlers
    /// (<see cref="UsageHandlers"/>) are registered with the others by <c>AddOAuth2Server</c>; the two middlewares
    /// are called by <see cref="OAuth2App"/>. Call after <c>AddLatchkeyStorage</c> and <c>AddOAuth2Server</c>, so the
    /// flusher starts after Marten has created the usage tables.
    /// </summary>
    public static IServiceCollection AddUsageMetering(this IServiceCollection services)
    {
        services.AddUsageStorage();
        services.AddSingleton<LocalUsageBuffer>();
        services.AddSingleton<UsageMeter>();
        services.AddMetrics();
        services.AddSingleton<TokenMetrics>();
        services.AddSingleton<QuotaGate>();
        services.AddHostedService(sp => sp.GetRequiredService<QuotaGate>());
        services.AddSingleton<UsageFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageFlusher>());
        return services;
    }
}
