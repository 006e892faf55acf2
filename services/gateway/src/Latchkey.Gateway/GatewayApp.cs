using Latchkey.Gateway.Destinations;
using Latchkey.Gateway.RateLimits;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace Latchkey.Gateway;

/// <summary>
/// The only user-facing entry point: routes by Host to the oauth2 service (project hosts), the control
/// plane (<c>api.</c>) and the console. It keeps the original Host, so services resolve the project
/// themselves, and answers unknown hosts without forwarding anything. It sets <c>X-Forwarded-Proto/For/Host</c>
/// for the services, from what it trusts of its own proxies' headers. Replicas, health checks and the retry of a
/// refused connection: <see cref="ServiceClusters"/>; per-project rate limits: <see cref="ProjectRateLimiting"/>.
/// </summary>
public static class GatewayApp
{
    public const long MaxRequestBodyBytes = 256 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddLatchkeyDefaults("gateway", defaultPort: 4430);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddLatchkeyStorage();

        var config = builder.Configuration;
        var settings = PlatformSettings.From(config);
        var proxy = builder.Services.AddReverseProxy()
            .LoadFromMemory(Routes(settings.Domain), ServiceClusters.From(config))
            .AddTransforms(t =>
            {
                t.AddOriginalHost(useOriginal: true);
                // Set, not append: the services hear the scheme, address and host the gateway itself believed
                // (its own proxies' headers, when they are trusted; see TransportSecurity), never a client's claim.
                t.AddXForwarded(ForwardedTransformActions.Set);
            });
        builder.Services.AddSingleton<IPassiveHealthCheckPolicy, TransportFailurePolicy>();
        if (ServiceClusters.DnsRefresh(config) is { } refresh)
            proxy.AddDnsDestinationResolver(o => o.RefreshPeriod = refresh);
        builder.Services.AddSingleton(RateLimitPlans.From(config));
        builder.Services.AddSingleton<ProjectRateLimiter>();

        var app = builder.Build();
        app.MapLatchkeyDefaults();
        app.UseMiddleware<HostGuard>();
        app.UseMiddleware<ProjectRateLimiting>();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use(TransportFailurePolicy.RetryRefusedConnections);
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }

    static RouteConfig[] Routes(string domain) =>
    [
        Route("oauth2", $"*.projects.{domain}"),
        Route("control-plane", $"api.{domain}"),
        Route("console", $"console.{domain}", domain),
    ];

    static RouteConfig Route(string cluster, params string[] hosts) => new()
    {
        RouteId = cluster,
        ClusterId = cluster,
        Match = new RouteMatch { Hosts = hosts, Path = "/{**rest}" },
    };
}
