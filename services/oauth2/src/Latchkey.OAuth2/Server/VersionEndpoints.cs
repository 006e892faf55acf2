using System.Reflection;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// Hydra's <c>GET /version</c> (public) and <c>GET /admin/version</c>: <c>{"version": "…"}</c>, the build's
/// informational version. Per project like every path of a project's host: an unknown host is 404 before it.
/// </summary>
public static class VersionEndpoints
{
    public static string Version { get; } =
        typeof(VersionEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionEndpoints).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static IEndpointRouteBuilder MapVersion(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/version", () => Results.Json(new { version = Version }));
        return routes;
    }
}
