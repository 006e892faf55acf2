using Latchkey.OAuth2.Server;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// Counts calls to a project's <c>/admin</c> API that its caller was allowed to make. First in
/// <see cref="OAuth2App"/>'s pipeline, so it wraps project resolution: once the request is answered, the
/// project is known.
/// </summary>
public sealed class AdminCallCounting(RequestDelegate next, UsageMeter meter)
{
    public async Task InvokeAsync(HttpContext http)
    {
        await next(http);
        if (!http.Request.Path.StartsWithSegments("/admin") || http.Response.StatusCode is 401 or 403) return;
        if (http.RequestServices.GetService<ProjectContext>() is { IsResolved: true } context) meter.CountAdminCall(context.Project);
    }
}
