using System.Net;
using System.Net.Sockets;
using Duende.IdentityModel.Client;
using Latchkey.ServiceDefaults;
using Latchkey.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>X-Forwarded-* is believed only from trusted proxies (issue 8, item 13).</summary>
[Collection(PlatformCollection.Name)]
public sealed class ForwardedHeadersTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task BehindATrustedTlsProxy_TheGatewayAndOAuth2_MarkCookiesSecure()
    {
        var project = await _api.CreateProjectAsync("forwarded");
        var client = await _api.CreateClientAsync(project, """{"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["http://127.0.0.1:5555/callback"],"scope":"openid"}""");
        var url = new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(clientId: client.Id, responseType: "code", scope: "openid",
            redirectUri: "http://127.0.0.1:5555/callback", state: "s", nonce: "n", codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256");

        using var plain = await _api.Http.GetAsync(url);
        Assert.DoesNotContain("secure", Assert.Single(plain.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var tls = await _api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, tls.StatusCode);
        Assert.Contains("; secure", Assert.Single(tls.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }


    /// <summary>A service with the shared defaults that echoes what it believes about the request.</summary>
    static async Task<string> EchoAsync(string? trustedProxies)
    {
        var port = PlatformFixture.FreePort();
        string[] args = [$"--urls=http://127.0.0.1:{port}", "--Logging:LogLevel:Default=Warning", "--LATCHKEY_SECRETS_SYSTEM=test-system-secret-0123456789abcdef", .. trustedProxies is null ? Array.Empty<string>() : [$"--LATCHKEY_TRUSTED_PROXIES={trustedProxies}"]];
        var builder = WebApplication.CreateBuilder(args);
        builder.AddLatchkeyDefaults("echo");
        await using var app = builder.Build();
        app.MapLatchkeyDefaults();
        app.MapGet("/echo", (HttpContext http) => $"{http.Request.Scheme} {http.Connection.RemoteIpAddress} {http.Request.Host}");
        await app.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/echo");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        request.Headers.Add("X-Forwarded-Host", "victim.projects.localhost");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        await app.StopAsync();
        return text;
    }

    [Fact]
    public async Task ForwardedHeaders_AreBelievedFromLoopbackByDefault_AndIgnoredFromAnUntrustedAddress()
    {
        Assert.Equal("https 203.0.113.9 victim.projects.localhost", await EchoAsync(null));
        Assert.Equal($"http 127.0.0.1 127.0.0.1", (await EchoAsync("10.0.0.0/8, 192.0.2.7")).Split(':')[0]);
        Assert.Throws<FormatException>(() => TransportSecurity.ParseNetworks("10.0.0.0/8,not-an-address"));
    }
}
