using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.ServiceDefaults;

/// <summary>
/// TLS usually ends at a load balancer in front of the gateway, so a service learns the original scheme,
/// client address and host only from <c>X-Forwarded-Proto/For/Host</c>. Those headers are believed only from
/// the proxies in <c>LATCHKEY_TRUSTED_PROXIES</c> (comma-separated addresses or CIDR ranges; default
/// loopback, where the gateway runs next to the services); from anyone else they are ignored, so a client
/// cannot claim https or another address. With an https public URL every response also carries HSTS.
/// </summary>
public static class TransportSecurity
{
    public const string TrustedProxiesKey = "LATCHKEY_TRUSTED_PROXIES";
    public const string DefaultTrustedProxies = "127.0.0.0/8,::1";
    public const string StrictTransportSecurity = "max-age=31536000";

    public static void AddTrustedProxies(this IServiceCollection services, IConfiguration config)
    {
        var networks = ParseNetworks(config[TrustedProxiesKey] is { Length: > 0 } value ? value : DefaultTrustedProxies);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in networks) options.KnownIPNetworks.Add(network);
            // Only the nearest proxy's entry: every hop that trusts its own proxy rewrites the headers for the next.
            options.ForwardLimit = 1;
        });
    }

    /// <summary>Addresses and CIDR ranges, comma-separated; a bare address is a /32 (or /128). Throws on anything else.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> ParseNetworks(string value)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(item, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(item, out var address)) networks.Add(new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8));
            else throw new FormatException($"{TrustedProxiesKey}: '{item}' is not an IP address or a CIDR range.");
        }
        return networks;
    }

    /// <summary>
    /// First in the pipeline: everything after sees the original scheme, client address and host. Every answer
    /// of every service says <c>nosniff</c> (an API answer is never to be rendered as anything but its
    /// Content-Type says) and, with an https public URL, HSTS. Set when the response starts, so error answers,
    /// whose headers the exception handler clears, carry them too.
    /// </summary>
    public static void UseTransportSecurity(this WebApplication app, PlatformSettings settings)
    {
        app.UseForwardedHeaders();
        var https = settings.PublicUrl.Scheme == Uri.UriSchemeHttps;
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (https) headers.StrictTransportSecurity = StrictTransportSecurity;
                return Task.CompletedTask;
            });
            return next(http);
        });
    }
}
