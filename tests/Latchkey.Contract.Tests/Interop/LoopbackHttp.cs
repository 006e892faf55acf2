using System.Net;
using System.Net.Sockets;
using Latchkey.Testing;

namespace Latchkey.Contract.Tests.Interop;

/// <summary>
/// HTTP as a machine whose resolver sends <c>*.localhost</c> to loopback: project hosts reach the gateway's port,
/// every other address (a relying party on 127.0.0.1) is reached as it is. For libraries that make their own
/// HttpClient (backchannels) and for the tests' browser, which visits both.
/// </summary>
public static class LoopbackHttp
{
    public static SocketsHttpHandler Handler(PlatformFixture platform, CookieContainer? cookies = null) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var endpoint = context.DnsEndPoint;
            if (endpoint.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) await socket.ConnectAsync(IPAddress.Loopback, platform.GatewayPort, ct);
            else await socket.ConnectAsync(endpoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };

    /// <summary>A browser without JavaScript: keeps cookies, follows no redirect by itself.</summary>
    public static HttpClient Browser(PlatformFixture platform) => new(Handler(platform, new CookieContainer()));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
