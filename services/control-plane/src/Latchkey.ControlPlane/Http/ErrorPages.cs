using Microsoft.AspNetCore.Diagnostics;

namespace Latchkey.ControlPlane.Http;

/// <summary>Gives every bodiless error response (no route, wrong method, …) Ory's envelope.</summary>
internal static class ErrorPages
{
    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var error = http.Response.StatusCode switch
        {
            404 => ControlPlaneErrors.NoRoute(http.Request.Method, http.Request.Path),
            405 => ControlPlaneErrors.MethodNotAllowed(http.Request.Method, http.Request.Path),
            413 => ControlPlaneErrors.BodyTooLarge,
            415 => ControlPlaneErrors.UnsupportedMediaType,
            var code => ControlPlaneErrors.Status(code),
        };
        return error.WriteAsync(http);
    }
}
