using Latchkey.ServiceDefaults;
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
            404 => OryError.NotFound($"No route matches {http.Request.Method} {http.Request.Path}."),
            405 => new OryError(405, "The requested method is not allowed", $"{http.Request.Method} is not allowed on {http.Request.Path}."),
            413 => OryError.PayloadTooLarge($"The request body exceeds {RequestJson.MaxBodyBytes} bytes."),
            415 => new OryError(415, "The request body has an unsupported media type", "Send JSON."),
            var code => new OryError(code, "The request could not be processed", ""),
        };
        return error.WriteAsync(http);
    }
}
