using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A platform that logs everything (every category at Trace, as an operator chasing a problem might set it) in
/// the production format, JSON lines, into memory instead of the console. The console logger takes
/// <see cref="System.Console.Out"/> when it is made, so the capture is in place before the services are built.
/// </summary>
public sealed class CapturedLogsFixture : IAsyncLifetime
{
    readonly TextWriter _console = System.Console.Out;
    readonly StringBuilder _captured = new();

    public PlatformFixture Platform { get; } = new()
    {
        ExtraArgs = ["--Logging:Console:LogLevel:Default=Trace", "--LATCHKEY_LOG_FORMAT=json"],
    };

    public string Logs
    {
        get
        {
            lock (_captured) return _captured.ToString();
        }
    }

    public async Task InitializeAsync()
    {
        System.Console.SetOut(new Capture(_captured));
        await Platform.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        System.Console.SetOut(_console);
    }

    sealed class Capture(StringBuilder into) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (into) into.Append(value);
        }

        public override void Write(string? value)
        {
            lock (into) into.Append(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (into) into.Append(buffer, index, count);
        }
    }
}

public sealed class LogSecrecyTests(CapturedLogsFixture fixture) : IClassFixture<CapturedLogsFixture>
{
    readonly Api _api = new(fixture.Platform);

    [Fact]
    public async Task Logs_OfTokenRequestsAtTraceLevel_AreJsonLinesWithTraceIdsAndHoldNoSecret()
    {
        var project = await _api.CreateProjectAsync("log-secrecy");
        var basicClient = await _api.CreateClientAsync(project);
        // The secret in the form body too, as client_secret_post sends it.
        var postClient = await _api.CreateClientAsync(project, """
            {"client_name":"m2m","grant_types":["client_credentials"],"scope":"read","token_endpoint_auth_method":"client_secret_post"}
            """);
        var tokens = new List<string>();
        foreach (var (style, client) in new[] { (ClientCredentialStyle.AuthorizationHeader, basicClient), (ClientCredentialStyle.PostBody, postClient) })
        {
            var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = project.Issuer + "/oauth2/token",
                ClientId = client.Id,
                ClientSecret = client.Secret,
                ClientCredentialStyle = style,
                Scope = "read",
            });
            Assert.False(token.IsError, token.Error);
            tokens.Add(token.AccessToken!);
        }
        // A wrong secret, too: failures are where secrets tend to get logged.
        var wrongSecret = "wrong-" + Guid.NewGuid().ToString("N");
        var refused = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = postClient.Id,
            ClientSecret = wrongSecret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
        Assert.True(refused.IsError);
        // The project API key in an Authorization header, the token in a form body.
        await _api.IntrospectAsync(project, tokens[0]);

        // The console logger writes from a queue of its own: wait until the last request's line is out.
        var host = Api.HostOf(project);
        var lines = await LinesAsync(logs => logs.Contains("/admin/oauth2/introspect", StringComparison.Ordinal) && logs.Contains(host, StringComparison.Ordinal));

        // Every line is one JSON object; those written inside a token request carry its trace id and request id.
        Assert.All(lines.Where(line => line.Contains(host, StringComparison.Ordinal)), line => Assert.StartsWith("{", line, StringComparison.Ordinal));
        var entries = lines.Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var tokenRequests = entries.Where(e => e.GetRawText().Contains(host, StringComparison.Ordinal) && e.GetRawText().Contains("/oauth2/token", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tokenRequests);
        // Trace reached the libraries too: OpenIddict describes each request it extracts and each answer it returns.
        var traceIds = tokenRequests.SelectMany(e => e.GetProperty("Scopes").EnumerateArray())
            .Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _))
            .Select(s => s.GetProperty("TraceId").GetString()).ToHashSet();
        Assert.Contains(entries, e => e.GetProperty("Category").GetString()!.StartsWith("OpenIddict", StringComparison.Ordinal)
            && traceIds.Any(id => e.GetRawText().Contains(id!, StringComparison.Ordinal)));
        Assert.All(tokenRequests, entry =>
        {
            var scopes = entry.GetProperty("Scopes").EnumerateArray().ToList();
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id) && id.GetString()!.Length == 32);
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("RequestId", out _));
        });

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(basicClient.Id)}:{Uri.EscapeDataString(basicClient.Secret)}"));
        var logs = string.Join('\n', lines);
        string[] secrets =
        [
            basicClient.Secret, basic, postClient.Secret, Uri.EscapeDataString(postClient.Secret), wrongSecret,
            project.ApiKey, fixture.Platform.WorkspaceKey, .. tokens,
        ];
        foreach (var secret in secrets)
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..6]}…) is in the logs");
    }

    async Task<List<string>> LinesAsync(Func<string, bool> complete)
    {
        for (var attempt = 0; ; attempt++)
        {
            var logs = fixture.Logs;
            if (complete(logs) || attempt == 100)
                return [.. logs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            await Task.Delay(50);
        }
    }
}
