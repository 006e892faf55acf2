using Latchkey.Cli.Browser;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Latchkey.Cli.Tests.Browser;

/// <summary>The page the browser is left on: no tokens, nothing loaded from elsewhere, quoted text encoded.</summary>
public sealed class CallbackPageTests
{
    static async Task<(HttpResponse Response, string Body)> RenderAsync(CallbackPage page)
    {
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;
        await page.WriteAsync(http.Response, CancellationToken.None);
        return (http.Response, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task Success_Is200HtmlThatIsNeverCachedOrReferred()
    {
        var (response, body) = await RenderAsync(CallbackPage.Success);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal("no-store", response.Headers.CacheControl);
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"]);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'", response.Headers.ContentSecurityPolicy);
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions);
        Assert.Contains("<h1>Signed in</h1>", body);
    }

    [Fact]
    public async Task Finished_Is410()
    {
        var (response, body) = await RenderAsync(CallbackPage.Finished);

        Assert.Equal(410, response.StatusCode);
        Assert.Contains("already finished", body);
    }

    [Fact]
    public async Task Failure_Is400AndEncodesTheReason()
    {
        var (response, body) = await RenderAsync(CallbackPage.Failure("The server said <script>alert(1)</script> & left."));

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("The server said &lt;script&gt;alert(1)&lt;/script&gt; &amp; left.", body);
        Assert.DoesNotContain("<script>", body);
    }
}
