using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// <c>GET /metrics</c> on each service's metrics port (<c>LATCHKEY_METRICS_PORT</c>), read as Prometheus reads it
/// after tokens were issued through the gateway; and nowhere else.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class MetricsTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    const string TokenRequests = "http_server_request_duration_seconds_count";
    const string TokensIssued = "latchkey_tokens_issued_total";
    const string CacheLookups = "latchkey_cache_lookups_total";

    [Fact]
    public async Task Metrics_AfterTokensThroughTheGateway_CountRequestsPerRouteTokensPerGrantAndCacheHits()
    {
        var project = await _api.CreateProjectAsync("metrics");
        var client = await _api.CreateClientAsync(project);
        // A console page, so the console has a request to report too.
        using (var page = await _api.Http.GetAsync(new Uri(platform.ConsoleUrl, "/sign-in"))) Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        var oauth2Before = await ScrapeAsync("oauth2");
        var gatewayBefore = await ScrapeAsync("gateway");
        string? accessToken = null;
        for (var i = 0; i < 3; i++)
        {
            var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = project.Issuer + "/oauth2/token",
                ClientId = client.Id,
                ClientSecret = client.Secret,
                Scope = "read",
            });
            Assert.False(token.IsError, token.Error);
            accessToken = token.AccessToken;
        }
        // Introspected twice at once: the second answer comes from memory.
        for (var i = 0; i < 2; i++) Assert.True((await _api.IntrospectAsync(project, accessToken!))["active"]!.GetValue<bool>());
        var wrong = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = "not-the-secret",
        });
        Assert.Equal("invalid_client", Api.OAuth2Error(wrong));

        // The token counter is written before the response goes out; a request's duration once it is finished,
        // which may be just after the client has the answer: read until all four are in.
        var token200 = Labels(("http_route", "/oauth2/token"), ("http_request_method", "POST"), ("http_response_status_code", "200"));
        var token401 = Labels(("http_route", "/oauth2/token"), ("http_response_status_code", "401"));
        var oauth2 = await ScrapeUntilAsync("oauth2", m => m.Sum(TokenRequests, token200) - oauth2Before.Sum(TokenRequests, token200) >= 3
            && m.Sum(TokenRequests, token401) - oauth2Before.Sum(TokenRequests, token401) >= 1);

        Assert.Equal(3, oauth2.Sum(TokenRequests, token200) - oauth2Before.Sum(TokenRequests, token200));
        Assert.Equal(1, oauth2.Sum(TokenRequests, token401) - oauth2Before.Sum(TokenRequests, token401));
        var clientCredentials = Labels(("grant_type", "client_credentials"), ("token_type", "access_token"));
        Assert.Equal(3, oauth2.Sum(TokensIssued, clientCredentials) - oauth2Before.Sum(TokensIssued, clientCredentials));
        Assert.Equal(0, oauth2.Sum(TokensIssued, Labels(("token_type", "refresh_token"))) - oauth2Before.Sum(TokensIssued, Labels(("token_type", "refresh_token"))));
        // The latency histogram, with its buckets, per route.
        Assert.True(oauth2.Sum("http_server_request_duration_seconds_bucket", Labels(("http_route", "/oauth2/token"), ("le", "+Inf"))) >= 4);
        // OpenIddict's other endpoints have routes of their own too, not the fallback's.
        Assert.DoesNotContain(oauth2.Series, s => s.Name == TokenRequests && s.Labels.GetValueOrDefault("http_route", "").Contains("oauth2/token", StringComparison.Ordinal) && s.Labels["http_route"] != "/oauth2/token");
        // Four token requests read the client: at least three from memory.
        var clientHits = Labels(("cache", "clients"), ("result", "hit"));
        Assert.True(oauth2.Sum(CacheLookups, clientHits) - oauth2Before.Sum(CacheLookups, clientHits) >= 3);
        Assert.True(oauth2.Sum(CacheLookups, Labels(("cache", "projects_by_slug"))) > 0);
        var introspectionHits = Labels(("cache", "introspection"), ("result", "hit"));
        Assert.True(oauth2.Sum(CacheLookups, introspectionHits) - oauth2Before.Sum(CacheLookups, introspectionHits) >= 1);
        // The connection pool (Npgsql) and the runtime.
        Assert.Contains(oauth2.Series, s => s.Name.StartsWith("db_client_connection", StringComparison.Ordinal));
        Assert.Contains(oauth2.Series, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
        // Redis: reachable, and the token requests counted usage there.
        Assert.Equal(1, oauth2.Sum("latchkey_redis_connected", Labels()));
        Assert.True(oauth2.Sum("latchkey_redis_operations_total", Labels()) > oauth2Before.Sum("latchkey_redis_operations_total", Labels()));
        Assert.Contains(oauth2.Series, s => s.Name == "latchkey_redis_operations_pending");

        // The gateway saw the same six requests (four for tokens, two introspections); it resolves project hosts from its own cache.
        var gateway = await ScrapeUntilAsync("gateway", m => m.Sum(TokenRequests, Labels(("http_request_method", "POST"))) - gatewayBefore.Sum(TokenRequests, Labels(("http_request_method", "POST"))) >= 6);
        Assert.Equal(5, gateway.Sum(TokenRequests, Labels(("http_request_method", "POST"), ("http_response_status_code", "200"))) - gatewayBefore.Sum(TokenRequests, Labels(("http_request_method", "POST"), ("http_response_status_code", "200"))));
        Assert.True(gateway.Sum(CacheLookups, Labels(("cache", "projects_by_slug"), ("result", "hit"))) >= 4);
        Assert.DoesNotContain(gateway.Series, s => s.Name == TokensIssued);

        // The control plane reports its own routes (project creation); the console its page.
        var controlPlane = await ScrapeAsync("control-plane");
        Assert.True(controlPlane.Sum(TokenRequests, Labels(("http_route", "/projects/"), ("http_request_method", "POST"), ("http_response_status_code", "201"))) >= 1);
        Assert.DoesNotContain(controlPlane.Series, s => s.Name == TokenRequests && s.Labels.GetValueOrDefault("http_route") == "/oauth2/token");
        var console = await ScrapeAsync("console");
        Assert.True(console.Sum(TokenRequests, Labels(("http_request_method", "GET"))) >= 1);
    }

    [Theory]
    [InlineData("project")]
    [InlineData("api")]
    [InlineData("console")]
    [InlineData("unknown")]
    public async Task Metrics_ThroughTheGateway_AreNotFound(string host)
    {
        var project = host == "project" ? await _api.CreateProjectAsync("metrics-404") : null;
        var url = host switch
        {
            "project" => _api.At(project!, "/metrics"),
            "api" => platform.Api("/metrics"),
            "console" => new Uri(platform.ConsoleUrl, "/metrics"),
            _ => new Uri($"http://no-such-project.projects.localhost:{platform.GatewayPort}/metrics"),
        };

        using var response = await _api.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("# TYPE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OnlyOnTheMetricsPort_AndOnlyAtSlashMetrics()
    {
        var project = await _api.CreateProjectAsync("metrics-ports");
        using var http = new HttpClient();
        // Each service's public port, reached directly, with a host the service serves: /metrics is an unknown path there.
        foreach (var service in platform.ServiceUrls.Append(platform.ConsoleServiceUrl))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(service, "/metrics"));
            request.Headers.Host = service == platform.ServiceUrls[2] ? Api.HostOf(project) : "localhost";
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{service}metrics answered {(int)response.StatusCode}");
        }
        // On the metrics port, nothing but GET /metrics, whatever the Host header says.
        foreach (var metrics in platform.MetricsUrls.Values)
        {
            using var health = await http.GetAsync(new Uri(metrics, "/health/alive"));
            Assert.Equal(HttpStatusCode.NotFound, health.StatusCode);
            using var post = await http.PostAsync(new Uri(metrics, "/metrics"), new StringContent(""));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
            using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(metrics, "/metrics"));
            get.Headers.Host = Api.HostOf(project);
            using var scrape = await http.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
    }

    async Task<Scrape> ScrapeAsync(string service)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(platform.MetricsUrls[service], "/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Scrape.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Reads until <paramref name="done"/> holds (a request is recorded once it has ended, just after its answer), at most 100 reads.</summary>
    async Task<Scrape> ScrapeUntilAsync(string service, Func<Scrape, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var scrape = await ScrapeAsync(service);
            if (done(scrape) || attempt == 100) return scrape;
            await Task.Delay(50);
        }
    }

    static (string, string)[] Labels(params (string, string)[] labels) => labels;

    sealed record Series(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>Prometheus' text format, as much of it as the assertions read.</summary>
    sealed partial record Scrape(IReadOnlyList<Series> Series)
    {
        /// <summary>The sum of every series of <paramref name="name"/> that has all of <paramref name="labels"/>.</summary>
        public double Sum(string name, (string Key, string Value)[] labels) => Series
            .Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .Sum(s => s.Value);

        public static Scrape Parse(string text)
        {
            var series = new List<Series>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#') continue;
                var match = Line().Match(line);
                Assert.True(match.Success, $"not a Prometheus sample: {line}");
                var labels = Label().Matches(match.Groups["labels"].Value)
                    .ToDictionary(m => m.Groups["key"].Value, m => Regex.Unescape(m.Groups["value"].Value));
                var value = match.Groups["value"].Value switch
                {
                    "+Inf" => double.PositiveInfinity,
                    "-Inf" => double.NegativeInfinity,
                    var v => double.Parse(v, CultureInfo.InvariantCulture),
                };
                series.Add(new Series(match.Groups["name"].Value, labels, value));
            }
            return new Scrape(series);
        }

        [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
        private static partial Regex Line();

        [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
        private static partial Regex Label();
    }
}
