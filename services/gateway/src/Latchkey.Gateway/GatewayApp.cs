using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Latchkey.Gateway;

/// <summary>
/// The only user-facing entry point: routes by Host to the oauth2 service (project hosts), the control
/// plane (<c>api.</c>) and the console. It keeps the original Host, so services resolve the project
/// themselves, and answers unknown hosts without forwarding anything. It sets <c>X-Forwarded-Proto/For/Host</c>
/// for the services, from what it trusts of its own proxies' headers.
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
        builder.Services.AddReverseProxy()
            .LoadFromMemory(Routes(settings.Domain), [
                Cluster("oauth2", config["LATCHKEY_OAUTH2_URL"] ?? "http://127.0.0.1:4432"),
                Cluster("control-plane", config["LATCHKEY_CONTROL_PLANE_URL"] ?? "http://127.0.0.1:4431"),
                Cluster("console", config["LATCHKEY_CONSOLE_URL"] ?? "http://127.0.0.1:4433"),
            ])
            .AddTransforms(t =>
            {
                t.AddOriginalHost(useOriginal: true);
                // Set, not append: the services hear the scheme, address and host the gateway itself believed
                // (its own proxies' headers, when they are trusted; see TransportSecurity), never a client's claim.
                t.AddXForwarded(ForwardedTransformActions.Set);
            });

        var app = builder.Build();
        app.MapLatchkeyDefaults();
        app.UseMiddleware<HostGuard>();
        app.MapReverseProxy();
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

    static ClusterConfig Cluster(string id, string address) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { ["default"] = new() { Address = address } },
    };
}
