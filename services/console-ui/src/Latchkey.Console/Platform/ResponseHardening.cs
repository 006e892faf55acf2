using Microsoft.AspNetCore.Diagnostics;

namespace Latchkey.Console.Platform;

/// <summary>
/// Headers and limits every console response needs, set in one place: no framing (clickjacking a form that
/// deletes a project) and small bodies (<c>nosniff</c> comes with every service's defaults). Headers are set
/// when the response starts, so error pages and re-executed status pages get them too.
/// </summary>
public static class ResponseHardening
{
    /// <summary>The console takes only small forms; the largest (a client's redirect URIs) is far below this.</summary>
    public const int MaxFormBytes = 64 * 1024;

    public const string ContentSecurityPolicy = "frame-ancestors 'none'";

    public static IApplicationBuilder UseResponseHardening(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        await next(http);
    });

    /// <summary>
    /// Refuses a body whose declared size is over <see cref="MaxFormBytes"/> with a 413 page. Kestrel enforces the
    /// same limit while reading; this runs first, because antiforgery validation reads the form and would turn
    /// Kestrel's 413 into a generic 400. Placed after the status code pages, so the 413 gets the error page.
    /// </summary>
    public static IApplicationBuilder UseFormSizeLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > MaxFormBytes && http.Features.Get<IStatusCodeReExecuteFeature>() is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        await next(http);
    });
}
