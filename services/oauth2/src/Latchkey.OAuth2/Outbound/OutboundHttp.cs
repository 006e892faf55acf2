using System.Net;
using System.Net.Sockets;
using Latchkey.Tenancy;

namespace Latchkey.OAuth2.Outbound;

/// <summary>
/// The one way the oauth2 service calls a URL that a project owner configured (token hook, client
/// <c>jwks_uri</c>, back-channel logout): a timeout, no redirects, no cookies, no proxy, and no connection to a
/// loopback, private, link-local or otherwise internal address unless both the operator
/// (<c>LATCHKEY_OUTBOUND_ALLOW_PRIVATE_NETWORKS=true</c>) and the project
/// (<c>clients/http/disallow_private_ip_ranges: false</c>, Hydra's key; on by default here) allow it. The check is
/// made on the address actually connected to, after DNS resolution, so a name that resolves (or re-resolves) to
/// an internal address is refused too.
/// </summary>
public sealed class OutboundHttp(IHttpClientFactory factory, IConfiguration configuration)
{
    const string Guarded = "latchkey-outbound";
    const string Unguarded = "latchkey-outbound-private";

    /// <summary>Per call, unless the caller sets a shorter one on its own <see cref="CancellationToken"/>.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    readonly bool _operatorAllowsPrivate = configuration.GetValue("LATCHKEY_OUTBOUND_ALLOW_PRIVATE_NETWORKS", false);

    /// <summary>Whether the project may reach private address ranges (the operator must allow it too).</summary>
    public bool AllowsPrivateNetworks(IProjectContext project) =>
        _operatorAllowsPrivate && !project.Project.OAuth2.Clients.Http.DisallowPrivateIpRanges;

    /// <summary>A client for calls made on behalf of <paramref name="project"/>; do not dispose it.</summary>
    public HttpClient For(IProjectContext project) => factory.CreateClient(AllowsPrivateNetworks(project) ? Unguarded : Guarded);

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<OutboundHttp>();
        services.AddHttpClient(Guarded, ConfigureClient).ConfigurePrimaryHttpMessageHandler(() => CreateHandler(allowPrivate: false));
        services.AddHttpClient(Unguarded, ConfigureClient).ConfigurePrimaryHttpMessageHandler(() => CreateHandler(allowPrivate: true));
    }

    static void ConfigureClient(HttpClient client)
    {
        client.Timeout = Timeout;
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Latchkey");
    }

    static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, allowPrivate, cancellationToken),
    };

    static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var allowed = allowPrivate ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"{host} resolves to no address this project may connect to (private address ranges are refused).");

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A globally routable unicast address: not loopback, private, shared, link-local, reserved or multicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] is 0 or 10 or 127 || b[0] >= 224 // this network, private, loopback, multicast and reserved
                || (b[0] == 100 && b[1] is >= 64 and < 128) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata
                || (b[0] == 172 && b[1] is >= 16 and < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
                || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100) || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal
            || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || address.IsIPv6Teredo)
            return false;
        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed IPv4 addresses; documentation range 2001:db8::/32.
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b) return IsPublic(new IPAddress(v6[12..]));
        if (v6[0] == 0x20 && v6[1] == 0x02) return IsPublic(new IPAddress(v6[2..6]));
        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8) return false;
        return (v6[0] & 0xe0) == 0x20; // global unicast 2000::/3
    }
}
