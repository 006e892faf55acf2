using System.Net;
using System.Net.Sockets;
using Latchkey.Cli.Browser;
using Xunit;

namespace Latchkey.Cli.Tests.Browser;

/// <summary>The loopback server the browser comes back to, on a real port: the command decides, then the browser is answered.</summary>
public sealed class CallbackServerTests : IAsyncLifetime, IDisposable
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    readonly HttpClient _browser = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Wait };
    CallbackServer? _server;
    int _port;

    CallbackServer Server => _server!;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        _server = await CallbackServer.StartAsync(_port, "/callback", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public void Dispose() => _browser.Dispose();

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    Uri Url(string pathAndQuery) => new($"http://127.0.0.1:{_port}{pathAndQuery}");

    [Fact]
    public async Task Callback_WithCode_IsQueuedAndTheBrowserWaitsForTheAnswer()
    {
        var browser = _browser.GetAsync(Url("/callback?code=abc&state=s1&scope=openid%20offline_access"));

        var callback = await Server.NextAsync(CancellationToken.None).AsTask().WaitAsync(Wait);
        Assert.Equal("abc", callback["code"]);
        Assert.Equal("s1", callback["state"]);
        Assert.Equal("openid offline_access", callback["scope"]);
        Assert.Null(callback["error"]);
        Assert.False(browser.IsCompleted);

        callback.Answer(CallbackPage.Success);
        using var response = await browser;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Signed in", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Callback_WithError_CarriesTheServersErrorAndGetsTheFailurePage()
    {
        var browser = _browser.GetAsync(Url("/callback?error=access_denied&error_description=The+user+said+no&state=s1"));

        var callback = await Server.NextAsync(CancellationToken.None).AsTask().WaitAsync(Wait);
        Assert.Equal("access_denied", callback["error"]);
        Assert.Equal("The user said no", callback["error_description"]);
        Assert.Null(callback["code"]);

        callback.Answer(CallbackPage.Failure("The authorization server answered access_denied."));
        using var response = await browser;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("access_denied", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_SendsTheBrowserToTheAuthorizationUrlInProgress()
    {
        Server.AuthorizationUrl = "http://brave-fox.projects.localhost:4430/oauth2/auth?state=s1";

        using var response = await _browser.GetAsync(Url("/"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Server.AuthorizationUrl, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task OtherPathsAndMethods_AreRefused()
    {
        using var unknown = await _browser.GetAsync(Url("/favicon.ico"));
        using var post = await _browser.PostAsync(Url("/callback"), new StringContent("code=abc"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET", post.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task Dispose_CallbackNobodyAnswered_GetsTheFinishedPage()
    {
        var browser = _browser.GetAsync(Url("/callback?code=late"));
        await Server.NextAsync(CancellationToken.None).AsTask().WaitAsync(Wait);

        await Server.DisposeAsync();
        _server = null;

        using var response = await browser;
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Fact]
    public async Task Start_PortInUse_FailsSayingSo()
    {
        var error = await Assert.ThrowsAsync<CliException>(() => CallbackServer.StartAsync(_port, "/callback", CancellationToken.None));

        Assert.Contains($"cannot listen on port {_port}", error.Message);
    }
}
