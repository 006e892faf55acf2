using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// Resolves the project from the original Host before anything else runs. No live project: 404, and
/// OpenIddict never sees the request. The gateway does the same check; this one makes a request that
/// reaches the service directly gain nothing.
/// </summary>
public sealed class ProjectResolutionMiddleware(RequestDelegate next, PlatformSettings settings, ProjectDirectory directory, ProjectServerOptions serverOptions)
{
    public async Task InvokeAsync(HttpContext http, ProjectContext context)
    {
        if (http.Request.Path.StartsWithSegments("/health"))
        {
            await next(http);
            return;
        }

        var host = PlatformHost.Parse(http.Request.Host.Host, settings.Domain);
        var project = host is { Kind: HostKind.Project, Slug: { } slug }
            ? await directory.FindBySlugAsync(slug, http.RequestAborted)
            : null;
        if (project is null)
        {
            await ServerErrors.UnknownHost(http.Request.Host.Host).WriteAsync(http);
            return;
        }

        var issuer = settings.IssuerFor(project.Slug);
        context.Set(project, issuer);
        http.Features.Set(await serverOptions.GetAsync(project, issuer));
        await next(http);
    }
}
