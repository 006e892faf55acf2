using Latchkey.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Latchkey.Console.Platform;

/// <summary>
/// Turns API failures no page handles itself into pages: a revoked or expired session signs the browser
/// out, a project of another workspace (or none) is a 404, an unreachable API is a friendly 503.
/// </summary>
public sealed class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        switch (executed.Exception)
        {
            case LatchkeyApiException { Status: 401 }:
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                executed.Result = new RedirectResult("/sign-in?expired=1");
                executed.ExceptionHandled = true;
                break;
            case LatchkeyApiException { Status: 404 }:
                executed.Result = new NotFoundResult();
                executed.ExceptionHandled = true;
                break;
            case HttpRequestException or TaskCanceledException when !context.HttpContext.RequestAborted.IsCancellationRequested:
                logger.LogWarning(executed.Exception, "The platform API could not be reached.");
                executed.Result = new StatusCodeResult(503);
                executed.ExceptionHandled = true;
                break;
        }
    }
}
