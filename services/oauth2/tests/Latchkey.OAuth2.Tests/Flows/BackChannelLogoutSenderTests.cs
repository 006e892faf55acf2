using System.Threading.Channels;
using Latchkey.OAuth2.Flows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.OAuth2.Tests.Flows;

/// <summary>Back-channel logout delivery: the form body, retries of a failing RP, and no retry of a refusal.</summary>
public sealed class BackChannelLogoutSenderTests
{
    /// <summary>An RP endpoint that answers the given statuses in turn (the last one from then on) and records each body.</summary>
    static async Task<(WebApplication App, Channel<string> Bodies)> StartEndpointAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var bodies = Channel.CreateUnbounded<string>();
        var calls = 0;
        app.MapPost("/logout", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            await bodies.Writer.WriteAsync(form["logout_token"].ToString());
            return Results.StatusCode(statuses[Math.Min(Interlocked.Increment(ref calls) - 1, statuses.Length - 1)]);
        });
        await app.StartAsync();
        return (app, bodies);
    }

    static async Task<string> NextAsync(Channel<string> bodies) => await bodies.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Deliver_RpFailsTwiceThenAnswers_IsPostedThreeTimes_ThenNoMore()
    {
        var (app, bodies) = await StartEndpointAsync(503, 500, 200);
        await using var server = app;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var queue = new BackChannelLogoutQueue(NullLogger<BackChannelLogoutQueue>.Instance);
        using var sender = new BackChannelLogoutSender(queue, clock, NullLogger<BackChannelLogoutSender>.Instance);
        using var http = new HttpClient();
        await sender.StartAsync(CancellationToken.None);

        queue.Enqueue(new BackChannelDelivery(Guid.NewGuid(), "rp", new Uri(app.Urls.First() + "/logout"), "the.logout.token", http));

        Assert.Equal("the.logout.token", await NextAsync(bodies));
        // Each retry waits on the clock: advance it until the next attempt arrives.
        for (var retry = 0; retry < 2; retry++)
        {
            var next = NextAsync(bodies);
            while (!next.IsCompleted)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(next, Task.Delay(20));
            }
            Assert.Equal("the.logout.token", await next);
        }
        clock.Advance(TimeSpan.FromMinutes(1));
        await sender.StopAsync(CancellationToken.None);
        Assert.False(bodies.Reader.TryRead(out var extra), $"delivered again: {extra}");
    }

    [Fact]
    public async Task Deliver_RpRefusesTheToken_IsNotRetried()
    {
        var (app, bodies) = await StartEndpointAsync(400);
        await using var server = app;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var queue = new BackChannelLogoutQueue(NullLogger<BackChannelLogoutQueue>.Instance);
        using var sender = new BackChannelLogoutSender(queue, clock, NullLogger<BackChannelLogoutSender>.Instance);
        using var http = new HttpClient();
        await sender.StartAsync(CancellationToken.None);

        queue.Enqueue(new BackChannelDelivery(Guid.NewGuid(), "rp", new Uri(app.Urls.First() + "/logout"), "refused.token", http));
        Assert.Equal("refused.token", await NextAsync(bodies));
        // A second delivery after it shows the sender moved on; the refused one was not sent again.
        queue.Enqueue(new BackChannelDelivery(Guid.NewGuid(), "rp", new Uri(app.Urls.First() + "/logout"), "second.token", http));
        Assert.Equal("second.token", await NextAsync(bodies));
        clock.Advance(TimeSpan.FromMinutes(1));
        await sender.StopAsync(CancellationToken.None);
        Assert.False(bodies.Reader.TryRead(out var extra), $"delivered again: {extra}");
    }
}
