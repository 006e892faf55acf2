using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Latchkey.Tenancy;

namespace Latchkey.Gateway;

/// <summary>
/// Runs before the proxy: strips any <c>X-Latchkey-*</c> header a caller sent, refuses oversized bodies
/// (413) and hosts that name no live project or service (404), so such requests reach no service.
/// On a project's host these answers are in Hydra's OAuth2 shape, like everything else served there, so a
/// Hydra SDK pointed at a deleted project still reads <c>error</c> as a string; elsewhere, Ory's envelope.
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
            var reason = $"Request bodies are limited to {GatewayApp.MaxRequestBodyBytes / 1024} KB.";
            await (host.Kind == HostKind.Project ? OAuth2Error.PayloadTooLarge(reason).WriteAsync(http) : OryError.PayloadTooLarge(reason).WriteAsync(http));
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
                await OryError.NotFound($"Nothing is served at host '{http.Request.Host.Host}'.").WriteAsync(http);
                return;
            case HostKind.Project:
                var project = await projects.FindBySlugAsync(host.Slug!, http.RequestAborted);
                if (project is null)
                {
                    await OAuth2Error.NotFound($"No project is served at host '{http.Request.Host.Host}'.").WriteAsync(http);
                    return;
                }
                http.Request.Headers["X-Latchkey-Project-Id"] = project.Id.ToString();
                break;
        }
        await next(http);
    }
}
