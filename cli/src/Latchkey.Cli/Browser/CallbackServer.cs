using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Latchkey.Cli.Browser;

/// <summary>
/// The local HTTP server the browser is redirected back to: Kestrel on the loopback interfaces only, serving the
/// redirect URI's path. Callbacks queue up for the command (<see cref="NextAsync"/>), which checks each one, exchanges
/// its code and then answers the waiting browser, so one place decides and writes to the terminal.
/// <c>GET /</c> sends the browser to the authorization URL in progress, as the home page of Hydra's example client does.
/// </summary>
sealed class CallbackServer : IAsyncDisposable
{
    static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    readonly WebApplication _app;
    readonly PathString _path;
    readonly Channel<Callback> _callbacks = Channel.CreateUnbounded<Callback>();
    readonly CancellationTokenSource _stopping = new();

    CallbackServer(WebApplication app, PathString path)
    {
        _app = app;
        _path = path;
    }

    /// <summary>Where <c>GET /</c> sends the browser: the authorization URL of the flow in progress.</summary>
    public string? AuthorizationUrl { get; set; }

    /// <summary>Listens on 127.0.0.1 (and ::1 where there is one) at <paramref name="port"/>.</summary>
    public static async Task<CallbackServer> StartAsync(int port, string path, CancellationToken ct)
    {
        // The empty builder reads no appsettings.json or ASPNETCORE_* variables from wherever the CLI happens to run.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        // The host's console lifetime would take over Ctrl+C; the CLI leaves Ctrl+C to end the process.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        var app = builder.Build();
        var server = new CallbackServer(app, new PathString(path));
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new CliException($"cannot listen on port {port} for the callback: {ex.Message}");
        }
        return server;
    }

    /// <summary>The next request to the redirect URI.</summary>
    public ValueTask<Callback> NextAsync(CancellationToken ct) => _callbacks.Reader.ReadAsync(ct);

    async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.Path == _path)
            await CallbackAsync(http);
        else if (request.Path == "/" && HttpMethods.IsGet(request.Method) && AuthorizationUrl is { } url)
            http.Response.Redirect(url);
        else
            http.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    async Task CallbackAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "GET";
            return;
        }

        var callback = new Callback(http.Request.Query.ToDictionary(p => p.Key, p => p.Value.FirstOrDefault() ?? "", StringComparer.Ordinal));
        if (!_callbacks.Writer.TryWrite(callback))
        {
            await CallbackPage.Finished.WriteAsync(http.Response, http.RequestAborted);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
        CallbackPage page;
        try
        {
            page = await callback.Page.WaitAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            // The command ended without answering this one (cancelled, or it was already done).
            page = callback.Page.IsCompletedSuccessfully ? callback.Page.Result : CallbackPage.Finished;
        }
        await page.WriteAsync(http.Response, http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        _callbacks.Writer.TryComplete();
        while (_callbacks.Reader.TryRead(out var unread))
            unread.Answer(CallbackPage.Finished);
        await _stopping.CancelAsync();
        // Graceful: a browser still being answered gets its page before the sockets close.
        using var timeout = new CancellationTokenSource(StopTimeout);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
