using System.Net;
using Microsoft.AspNetCore.Http;

namespace Latchkey.Cli.Browser;

/// <summary>
/// The page the browser sees on the callback. It never shows the tokens: they belong in the terminal, not in the
/// browser's history. Anything quoted from the authorization server is HTML-encoded.
/// </summary>
sealed class CallbackPage(int status, string title, string message)
{
    public static CallbackPage Success { get; } = new(StatusCodes.Status200OK, "Signed in",
        "The latchkey CLI received the tokens. You can close this window and return to the terminal.");

    public static CallbackPage Finished { get; } = new(StatusCodes.Status410Gone, "Nothing to do",
        "This sign-in has already finished. You can close this window.");

    public static CallbackPage Failure(string why) => new(StatusCodes.Status400BadRequest, "Sign-in failed",
        $"{why} You can close this window; the terminal says the same.");

    public async Task WriteAsync(HttpResponse response, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        // The callback URL carries the code: no referrer, and nothing on the page may load from elsewhere.
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        response.Headers.XContentTypeOptions = "nosniff";
        var (heading, text) = (WebUtility.HtmlEncode(title), WebUtility.HtmlEncode(message));
        await response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{{heading}} · latchkey</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
            <body><h1>{{heading}}</h1><p>{{text}}</p></body>
            </html>
            """, ct);
    }
}
