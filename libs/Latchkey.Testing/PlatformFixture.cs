using System.Net;
using System.Net.Sockets;
using Latchkey.Console;
using Latchkey.ControlPlane;
using Latchkey.Gateway;
using Latchkey.OAuth2;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace Latchkey.Testing;

/// <summary>
/// The whole platform, as real HTTP services on loopback ports, over a fresh PostgreSQL database and
/// Redis: control plane, oauth2, console and gateway, started in-process. Tests talk to it only through the
/// gateway, like any user, with <see cref="CreateClient"/>.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    readonly PostgresFixture _postgres = new();
    readonly RedisFixture _redis = new();
    readonly List<WebApplication> _apps = [];
    readonly Dictionary<string, List<(int Port, RequestTally Tally)>> _replicas = [];
    string[] _oauth2Args = [];

    public int GatewayPort { get; } = FreePort();
    public Uri PublicUrl => new($"http://localhost:{GatewayPort}");
    public string WorkspaceKey { get; } = "lk_wak_test" + Guid.NewGuid().ToString("N");
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "latchkey-test-" + Guid.NewGuid().ToString("N"));
    public string DatabaseUrl => _postgres.ConnectionString;

    /// <summary>Each service's own address (gateway, control plane, oauth2), for checks that bypass the gateway.</summary>
    public IReadOnlyList<Uri> ServiceUrls { get; private set; } = [];
    public string RedisUrl => _redis.ConnectionString;

    /// <summary>
    /// How many processes of each stateless service (control plane, oauth2, console) to start, each on a port of its
    /// own, all of them destinations of the one gateway (<c>LATCHKEY_REPLICAS=N make run</c>, in-process).
    /// </summary>
    public int Replicas { get; init; } = 1;

    /// <summary>
    /// Each service's metrics address (<c>LATCHKEY_METRICS_PORT</c>), by service name: gateway, control-plane, oauth2,
    /// console. <c>GET /metrics</c> answers there and nowhere else.
    /// </summary>
    public IReadOnlyDictionary<string, Uri> MetricsUrls { get; } = new[] { "gateway", "control-plane", "oauth2", "console" }
        .ToDictionary(service => service, _ => new Uri($"http://127.0.0.1:{FreePort()}"));

    /// <summary>More <c>--KEY=value</c> settings for every service (later ones win), for fixtures that need other config.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>
    /// Rewrites the database connection string the oauth2 service is given (the others keep the real one), e.g.
    /// to route it through a <see cref="TcpProxy"/> a test can cut.
    /// </summary>
    public Func<string, string>? OAuth2DatabaseUrl { get; init; }

    /// <summary>
    /// Runs on the fresh database before any service starts and returns the connection string every service is
    /// given: e.g. apply the schema with <c>migrate</c> and hand the services a role without DDL rights.
    /// </summary>
    public Func<string, Task<string>>? PrepareDatabase { get; init; }

    /// <summary>
    /// Starts the PostgreSQL server the fresh database goes on, instead of the shared test server or a container:
    /// e.g. one the test may restart. Its owner stops it after the fixture.
    /// </summary>
    public Func<Task<string>>? PostgresServer { get => _postgres.Server; init => _postgres.Server = value; }

    /// <summary>The console as users reach it: <c>http://console.localhost:&lt;gateway port&gt;</c> (browsers resolve it to loopback).</summary>
    public Uri ConsoleUrl => new($"http://console.localhost:{GatewayPort}");

    /// <summary>The console service's own address, for checks that bypass the gateway.</summary>
    public Uri ConsoleServiceUrl { get; private set; } = new("http://127.0.0.1");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync(), _redis.InitializeAsync());
        var databaseUrl = PrepareDatabase is { } prepare ? await prepare(_postgres.ConnectionString) : _postgres.ConnectionString;
        if (Replicas < 1) throw new InvalidOperationException("Replicas must be at least 1.");
        int[] controlPlanes = Ports(), oauth2s = Ports(), consoles = Ports();
        int controlPlane = controlPlanes[0], oauth2 = oauth2s[0], console = consoles[0];
        ConsoleServiceUrl = new($"http://127.0.0.1:{console}");
        ServiceUrls = [PublicUrl, new($"http://127.0.0.1:{controlPlane}"), new($"http://127.0.0.1:{oauth2}")];
        string[] common =
        [
            $"--LATCHKEY_DATABASE_URL={databaseUrl}",
            $"--LATCHKEY_REDIS_URL={_redis.ConnectionString}",
            $"--LATCHKEY_PUBLIC_URL={PublicUrl}",
            "--LATCHKEY_DOMAIN=localhost",
            "--LATCHKEY_SECRETS_SYSTEM=test-system-secret-0123456789abcdef",
            $"--LATCHKEY_STATE_DIR={StateDirectory}",
            $"--LATCHKEY_BOOTSTRAP_WORKSPACE_KEY={WorkspaceKey}",
            // Tests run hooks and JWKS servers on loopback; a project still refuses them until it opts in.
            "--LATCHKEY_OUTBOUND_ALLOW_PRIVATE_NETWORKS=true",
            "--Logging:LogLevel:Default=Warning",
            // Most tests send bursts no plan allows; RateLimitTests turn the limits on with ExtraArgs.
            "--LATCHKEY_RATE_LIMITS=false",
            .. ExtraArgs,
        ];

        // /metrics on a port of its own (LATCHKEY_METRICS_PORT) for the first replica of each service.
        foreach (var (port, i) in controlPlanes.Select((p, i) => (p, i)))
            await StartReplicaAsync("control-plane", port, ControlPlaneApp.Build([.. common, $"--urls=http://127.0.0.1:{port}", .. Metrics("control-plane", i)]));
        _oauth2Args = [.. common, $"--urls=http://127.0.0.1:{oauth2}"];
        if (OAuth2DatabaseUrl is { } rewrite) _oauth2Args = [.. _oauth2Args, $"--LATCHKEY_DATABASE_URL={rewrite(databaseUrl)}"];
        foreach (var (port, i) in oauth2s.Select((p, i) => (p, i)))
            await StartReplicaAsync("oauth2", port, OAuth2App.Build([.. _oauth2Args, $"--urls=http://127.0.0.1:{port}", .. Metrics("oauth2", i)]));
        foreach (var (port, i) in consoles.Select((p, i) => (p, i)))
            await StartReplicaAsync("console", port, ConsoleApp.Build([.. common, $"--urls=http://127.0.0.1:{port}", .. Metrics("console", i)]));
        await StartAsync(GatewayApp.Build([
            .. common,
            $"--urls=http://127.0.0.1:{GatewayPort}",
            .. Metrics("gateway", 0),
            $"--LATCHKEY_CONTROL_PLANE_URL={Urls(controlPlanes)}",
            $"--LATCHKEY_OAUTH2_URL={Urls(oauth2s)}",
            $"--LATCHKEY_CONSOLE_URL={Urls(consoles)}",
        ]));

        int[] Ports() => [.. Enumerable.Range(0, Replicas).Select(_ => FreePort())];
        static string Urls(int[] ports) => string.Join(",", ports.Select(p => $"http://127.0.0.1:{p}"));
    }

    async Task StartReplicaAsync(string service, int port, WebApplication app)
    {
        var tally = new RequestTally(app);
        if (!_replicas.TryGetValue(service, out var list)) _replicas[service] = list = [];
        list.Add((port, tally));
        await StartAsync(app);
    }

    /// <summary>
    /// Stops one replica of a service gracefully (index into the ports it was started on, in order), as a scale-down
    /// or a crashed pod leaves the gateway with one destination that refuses connections. The others keep running.
    /// </summary>
    public async Task StopReplicaAsync(string service, int replica)
    {
        var address = $"http://127.0.0.1:{_replicas[service][replica].Port}";
        var app = _apps.Single(a => a.Urls.Contains(address));
        _apps.Remove(app);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// Requests one replica of a service has received, health checks not counted: how a test tells that the gateway
    /// spread a journey over the replicas.
    /// </summary>
    public long RequestsServedBy(string service, int replica) => _replicas[service][replica].Tally.Count;

    string[] Metrics(string service, int replica) => replica == 0 ? [$"--LATCHKEY_METRICS_PORT={MetricsUrls[service].Port}"] : [];

    async Task StartAsync(WebApplication app)
    {
        _apps.Add(app);
        await app.StartAsync();
    }

    /// <summary>
    /// Stops the oauth2 service gracefully, as a rolling deploy would, and starts a new instance on the same
    /// port with the same settings. Everything else keeps running. <paramref name="abort"/>: no grace period, open
    /// connections are dropped mid-request, as close to a crash as a service in this process can get.
    /// </summary>
    public async Task RestartOAuth2Async(bool abort = false)
    {
        var address = ServiceUrls[2].GetLeftPart(UriPartial.Authority);
        var index = _apps.FindIndex(app => app.Urls.Contains(address));
        var old = _apps[index];
        await old.StopAsync(abort ? new CancellationToken(canceled: true) : CancellationToken.None);
        await old.DisposeAsync();
        var fresh = OAuth2App.Build(_oauth2Args);
        _apps[index] = fresh;
        await fresh.StartAsync();
    }

    /// <summary>Stops the oauth2 service as SIGTERM would (the returned task ends when it has stopped); it stays stopped.</summary>
    public Task StopOAuth2Async()
    {
        var address = ServiceUrls[2].GetLeftPart(UriPartial.Authority);
        return _apps.Single(app => app.Urls.Contains(address)).StopAsync();
    }

    /// <summary>
    /// Starts a second oauth2 process with the same settings, as another replica (a pod with a disk of its own:
    /// another state directory), on a port of its own that the gateway does not route to. Reach it with
    /// <see cref="CreateClient"/>'s <c>port</c>. It stops with the fixture.
    /// </summary>
    public async Task<int> StartOAuth2ReplicaAsync()
    {
        var port = FreePort();
        await StartAsync(OAuth2App.Build(OAuth2ReplicaArgs(port)));
        return port;
    }

    /// <summary>
    /// The settings of another oauth2 replica on <paramref name="port"/>, with a state directory and metrics port of
    /// its own: what <see cref="StartOAuth2ReplicaAsync"/> starts in-process, for one run as a process of its own.
    /// </summary>
    public string[] OAuth2ReplicaArgs(int port) =>
    [
        .. _oauth2Args, $"--LATCHKEY_STATE_DIR={Path.Combine(StateDirectory, "replica-" + port)}", $"--urls=http://127.0.0.1:{port}",
        $"--LATCHKEY_METRICS_PORT={FreePort()}",
    ];

    /// <summary>
    /// An HttpClient that reaches any <c>*.localhost</c> host through the gateway's port (or <paramref name="port"/>,
    /// straight to one service), whatever the machine's resolver does with such names; the Host header stays the
    /// one in the URL. Pass <paramref name="cookies"/> to read or plant the browser's cookies.
    /// </summary>
    public HttpClient CreateClient(bool allowRedirects = false, CookieContainer? cookies = null, int? port = null) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = allowRedirects,
        CookieContainer = cookies ?? new CookieContainer(),
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port ?? GatewayPort, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });

    public Uri Api(string path) => new($"http://api.localhost:{GatewayPort}{path}");

    public string IssuerOf(string slug) => $"http://{slug}.projects.localhost:{GatewayPort}";

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await _redis.DisposeAsync();
        await _postgres.DisposeAsync();
        if (Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);
    }

    static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port nothing listens on. The OS may hand the same free port to two fixtures starting side by side
    /// before either binds it, so each port goes to one fixture of this test run only.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}
