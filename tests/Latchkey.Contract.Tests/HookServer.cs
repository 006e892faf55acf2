using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Latchkey.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Latchkey.Contract.Tests;

/// <summary>One request a <see cref="HookServer"/> received: its JSON body and the headers that carry credentials.</summary>
public sealed record HookCall(JsonNode? Body, string? ApiKeyHeader, string? Cookie);

/// <summary>
/// A project's token hook, as its owner would run one: an HTTP server on 127.0.0.1 that records each call and
/// answers what the test says (<see cref="Answer"/>): a status and, for a 200, a JSON body.
/// </summary>
public sealed class HookServer : IAsyncDisposable
{
    readonly WebApplication _app;

    public ConcurrentQueue<HookCall> Calls { get; } = new();

    /// <summary>What the hook answers: a status code and an optional body.</summary>
    public (int Status, string? Body) Answer { get; set; } = (204, null);

    public string Url { get; }

    HookServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<HookServer> StartAsync(string headerName = "X-Hook-Key")
    {
        var port = PlatformFixture.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var server = new HookServer(app, $"http://127.0.0.1:{port}/token-hook");
        app.MapPost("/token-hook", async (HttpContext http) =>
        {
            var body = await JsonNode.ParseAsync(http.Request.Body);
            server.Calls.Enqueue(new HookCall(body, http.Request.Headers[headerName].FirstOrDefault(), http.Request.Headers.Cookie.FirstOrDefault()));
            var (status, answer) = server.Answer;
            http.Response.StatusCode = status;
            if (answer is not null)
            {
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync(answer);
            }
        });
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
