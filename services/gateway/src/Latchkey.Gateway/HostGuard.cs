using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;

namespace Latchkey.Gateway;

/// <summary>
/// Runs before the proxy: strips any <c>X-Latchkey-*</c> header a caller sent, refuses oversized bodies
/// (413) and hosts that name no live project or service (404), so such requests reach no service.
/// On a project's host these answers are in Hydra's OAuth2 shape, like everything else served there, so a
/// Hydra SDK pointed at a deleted project still reads <c>error</c> as a string; elsewhere, Ory's envelope.
/// The gateway sets no <c>X-Latchkey-*</c> header of its own: the services resolve the project from the
/// Host it keeps, so such a header would be one more thing to trust and nobody would read it.
/// </summary>
public sealed class HostGuard(RequestDelegate next, PlatformSettings settings, ProjectDirectory projects)
{
    public async Task InvokeAsync(HttpContext http)
    {
        foreach (var name in http.Request.Headers.Keys.Where(k => k.StartsWith("X-Latchkey-", StringComparison.OrdinalIgnoreCase)).ToList())
            http.Request.Headers.Remove(name);

        var host = PlatformHost.Parse(http.Request.Host.Host, settings.Domain);
        if (http.Request.ContentLength > GatewayApp.MaxRequestBodyBytes)
        {
            await (host.Kind == HostKind.Project ? GatewayErrors.ProjectTooLarge.WriteAsync(http) : GatewayErrors.TooLarge.WriteAsync(http));
            return;
        }

        // The gateway's own health endpoints answer on any host, for load balancers and `make run`.
        if (http.Request.Path.StartsWithSegments("/health"))
        {
            await next(http);
            return;
        }

        switch (host.Kind)
        {
            case HostKind.Unknown:
                await GatewayErrors.UnknownHost(http.Request.Host.Host).WriteAsync(http);
                return;
            case HostKind.Project:
                if (await projects.FindBySlugAsync(host.Slug!, http.RequestAborted) is not { } project)
                {
                    await GatewayErrors.UnknownProject(http.Request.Host.Host).WriteAsync(http);
                    return;
                }
                // For the rate limits (RateLimits/ProjectRateLimiting), which count per project.
                http.Features.Set(project);
                break;
        }
        await next(http);
    }
}
