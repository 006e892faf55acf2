using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Storage.Usage;
using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A platform of its own, stopped by its test: usage is flushed only at the end (hourly otherwise), and each
/// service keeps serving for a moment after it is told to stop, with readiness already failing.
/// </summary>
public sealed class ShutdownPlatformFixture : IAsyncLifetime
{
    public PlatformFixture Platform { get; } = new()
    {
        ExtraArgs = ["--LATCHKEY_USAGE_FLUSH_SECONDS=3600", "--LATCHKEY_SHUTDOWN_DELAY_SECONDS=3", "--LATCHKEY_SHUTDOWN_TIMEOUT_SECONDS=20"],
    };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

/// <summary>What a rolling deploy does to oauth2: SIGTERM while token requests are in flight.</summary>
public sealed class GracefulShutdownTests(ShutdownPlatformFixture fixture) : IClassFixture<ShutdownPlatformFixture>
{
    const int InFlight = 3;

    [Fact]
    public async Task Stop_TokenRequestsInFlight_FailsReadinessFirstFinishesThemAndFlushesTheirUsage()
    {
        var platform = fixture.Platform;
        var api = new Api(platform);
        var project = await api.CreateProjectAsync("shutdown");
        var client = await api.CreateClientAsync(project);
        var oauth2 = platform.ServiceUrls[2].Port;

        // Each request is inside the token endpoint, waiting for its body: the server has said 100 Continue.
        var requests = new List<SlowRequest>();
        for (var i = 0; i < InFlight; i++) requests.Add(await SlowRequest.StartAsync(oauth2, Api.HostOf(project), client));

        var stopped = platform.StopOAuth2Async();

        // Told to stop, it still answers for the delay, and says it is not ready: load balancers take it out first.
        var readiness = await PollAsync(async () => await GetAsync(oauth2, "/health/ready") is { Status: HttpStatusCode.ServiceUnavailable } answer ? answer.Body : null);
        Assert.Equal("unavailable", JsonNode.Parse(readiness)!["errors"]!["shutdown"]!.GetValue<string>());
        // Then it takes no new connection…
        await PollAsync(async () => await Record.ExceptionAsync(() => GetAsync(oauth2, "/health/alive")) is HttpRequestException ? "refused" : null);

        // …and the requests it had finish all the same.
        foreach (var request in requests)
        {
            var (status, answer) = await request.FinishAsync();
            Assert.True(status == HttpStatusCode.OK, answer);
            Assert.StartsWith("lk_at_", JsonNode.Parse(answer)!["access_token"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        await stopped;

        // The counts of the last requests were written on the way out (the hourly flush never ran).
        Assert.Equal(InFlight, await IssuedTokensAsync(platform, project));
    }

    /// <summary>Asks until <paramref name="probe"/> answers (at most 400 times, 25 ms apart): no assertion on how long it takes.</summary>
    static async Task<string> PollAsync(Func<Task<string?>> probe)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (await probe() is { } answer) return answer;
            await Task.Delay(25);
        }
        throw new Xunit.Sdk.XunitException("The service never got there.");
    }

    static async Task<long> IssuedTokensAsync(PlatformFixture platform, TestProject project)
    {
        await using var connection = new NpgsqlConnection(platform.DatabaseUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select coalesce(sum(value), 0)::bigint from {UsageSchema.Days} where project_id = $1 and metric like $2", connection);
        command.Parameters.AddWithValue(Guid.Parse(project.Id));
        command.Parameters.AddWithValue(UsageMetrics.TokensPrefix + "%");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string path)
    {
        // A new connection each time, as a load balancer's probe opens.
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A token request over a raw connection whose body is sent only when the test says so.</summary>
    sealed class SlowRequest(TcpClient tcp, NetworkStream stream, byte[] body)
    {
        public static async Task<SlowRequest> StartAsync(int port, string host, TestClient client)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var stream = tcp.GetStream();
            var body = Encoding.ASCII.GetBytes("grant_type=client_credentials&scope=read");
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(client.Id)}:{Uri.EscapeDataString(client.Secret)}"));
            var head = $"POST /oauth2/token HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {basic}\r\n" +
                $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\nExpect: 100-continue\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var interim = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 100", interim, StringComparison.Ordinal);
            return new SlowRequest(tcp, stream, body);
        }

        public async Task<(HttpStatusCode Status, string Body)> FinishAsync()
        {
            using (tcp)
            {
                await stream.WriteAsync(body);
                var head = await ReadHeadAsync(stream);
                var status = (HttpStatusCode)int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).Single();
                var answer = new byte[length];
                await stream.ReadExactlyAsync(answer);
                return (status, Encoding.UTF8.GetString(answer));
            }
        }

        /// <summary>Reads one response head, up to and including the blank line, byte by byte.</summary>
        static async Task<string> ReadHeadAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                await stream.ReadExactlyAsync(one);
                head.Append((char)one[0]);
            }
            return head.ToString();
        }
    }
}
