using Latchkey.Storage.Usage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Latchkey.OAuth2.Usage;

public static class UsageMetering
{
    /// <summary>
    /// Usage metering and the monthly token quota: counters, the flusher, the token endpoint's handlers and
    /// the <c>/admin</c> call counter. Call after <c>AddLatchkeyStorage</c> and <c>AddOAuth2Server</c>, so the
    /// flusher starts after Marten has created the usage tables.
    /// </summary>
    public static IServiceCollection AddUsageMetering(this IServiceCollection services)
    {
        services.AddUsageStorage();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalUsageBuffer>();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<QuotaGate>();
        services.AddSingleton<UsageFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<UsageFlusher>());
        services.AddTransient<IStartupFilter, AdminCallCounting.StartupFilter>();
        services.AddTransient<IStartupFilter, OpsRecording.StartupFilter>();
        services.AddOpenIddict().AddServer(server =>
        {
            foreach (var handler in UsageHandlers.Descriptors) server.AddEventHandler(handler);
        });
        return services;
    }
}
