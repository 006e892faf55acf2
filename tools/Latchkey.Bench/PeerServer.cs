using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Latchkey.Bench;

/// <summary>
/// node-oidc-provider (<c>server.mjs</c> of the peer folder, its packages installed by <c>scripts/bench.sh</c>) in one
/// Node process on a free loopback port, started for the run and killed at its end.
/// </summary>
sealed class PeerServer : IAsyncDisposable
{
    readonly Process _node;

    PeerServer(Process node, Uri url)
    {
        _node = node;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _node.Id;

    /// <param name="tokenFormat"><c>opaque</c> or <c>jwt</c> (RS256), as the peer's README documents.</param>
    public static async Task<PeerServer> StartAsync(string directory, string tokenFormat, string logFile, HttpClient http, CancellationToken ct)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["TOKEN_FORMAT"] = tokenFormat;
        start.Environment["NODE_ENV"] = "production";
        var node = Process.Start(start) ?? throw new BenchException("cannot start node for the peer");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        node.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        node.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();

        var server = new PeerServer(node, new Uri($"http://127.0.0.1:{port}/"));
        var discovery = new Uri(server.Url, "/.well-known/openid-configuration");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (node.HasExited)
                break;
            try
            {
                using var response = await http.GetAsync(discovery, ct);
                if (response.IsSuccessStatusCode)
                    return server;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
        await server.DisposeAsync();
        throw new BenchException($"the peer ({tokenFormat}) did not answer {discovery} (see {logFile})");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_node.HasExited)
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        _node.Dispose();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
