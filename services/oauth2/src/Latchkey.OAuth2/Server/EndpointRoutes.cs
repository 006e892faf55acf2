using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// OpenIddict answers its endpoints inside authentication, before any route runs, so routing picks the fallback
/// for them and <c>http.server.request.duration</c> would file every token, authorization and discovery request
/// under the fallback's <c>http.route</c>. A route per OpenIddict endpoint path, ordered just before the fallback
/// (any route of ours at the same path wins), gives each its own <c>http.route</c>. The handler runs only if
/// OpenIddict let a request through, and then answers as the fallback does.
/// </summary>
public static class EndpointRoutes
{
    public static WebApplication MapOpenIddictEndpointRoutes(this WebApplication app)
    {
        // The endpoint paths as the server builder set them: its configure actions on fresh options, without the
        // post-configuration that wants a project's keys (ProjectServerOptions adds those per project).
        var options = new OpenIddictServerOptions();
        foreach (var configure in app.Services.GetServices<IConfigureOptions<OpenIddictServerOptions>>())
            configure.Configure(options);
        IEnumerable<Uri>[] endpoints =
        [
            options.AuthorizationEndpointUris, options.ConfigurationEndpointUris, options.DeviceAuthorizationEndpointUris,
            options.EndSessionEndpointUris, options.EndUserVerificationEndpointUris, options.IntrospectionEndpointUris,
            options.JsonWebKeySetEndpointUris, options.PushedAuthorizationEndpointUris, options.RevocationEndpointUris,
            options.TokenEndpointUris, options.UserInfoEndpointUris,
        ];
        var paths = endpoints.SelectMany(uris => uris)
            .Select(uri => "/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).TrimStart('/'))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            app.Map(path, (HttpContext http) => ServerErrors.NoEndpoint(http.Request.Method, http.Request.Path).ToResult())
                .WithOrder(int.MaxValue - 1)
                .ExcludeFromDescription();
        }
        return app;
    }
}
