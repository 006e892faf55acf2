using Microsoft.AspNetCore.Http;

namespace Latchkey.ServiceDefaults;

/// <summary>
/// A named error's catalogue id travels in a response header, so the body stays exactly Hydra's (or Ory's)
/// shape: clients and SDKs see no new field, while a user reporting a failure, a log line and a test
/// can name the error without quoting its wording.
/// </summary>
public static class ErrorId
{
    public const string Header = "Latchkey-Error-Id";

    public static void Attach(HttpResponse response, string id)
    {
        if (id.Length > 0 && !response.HasStarted) response.Headers[Header] = id;
    }

    /// <summary>The error's JSON answer with its id header; still a status-code and value result for callers that inspect it.</summary>
    internal static IResult Json(object body, int status, string id) => id.Length == 0 ? Results.Json(body, statusCode: status) : new Identified(body, status, id);

    sealed class Identified(object body, int status, string id) : IResult, IStatusCodeHttpResult, IValueHttpResult
    {
        public int? StatusCode => status;

        public object? Value => body;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            Attach(httpContext.Response, id);
            return Results.Json(body, statusCode: status).ExecuteAsync(httpContext);
        }
    }
}
