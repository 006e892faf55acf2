using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Latchkey.ServiceDefaults;

/// <summary>Ory's generic error envelope, used by the control plane and every admin API.</summary>
public sealed record OryError(int Code, string Message, string Reason)
{
    /// <summary>The stable catalogue id of a named error (see <see cref="OAuth2Error.Id"/>).</summary>
    public string Id { get; init; } = "";

    public static OryError BadRequest(string reason) => new(400, "The request was malformed or contained invalid parameters", reason);
    public static OryError Unauthorized(string reason) => new(401, "The request could not be authorized", reason);
    public static OryError Forbidden(string reason) => new(403, "The requested action was forbidden", reason);
    public static OryError NotFound(string reason) => new(404, "The requested resource could not be found", reason);
    public static OryError Conflict(string reason) => new(409, "The resource could not be created due to a conflict", reason);
    public static OryError Gone(string reason) => new(410, "The requested resource is no longer available", reason);
    public static OryError PayloadTooLarge(string reason) => new(413, "The request body is too large", reason);
    public static OryError Internal() => new(500, "An internal server error occurred, please contact the system administrator", "");

    public object Body => new { error = new { code = Code, status = ReasonPhrases.GetReasonPhrase(Code), message = Message, reason = Reason } };

    public IResult ToResult() => ErrorId.Json(Body, Code, Id);

    public Task WriteAsync(HttpContext http)
    {
        http.Response.StatusCode = Code;
        ErrorId.Attach(http.Response, Id);
        return http.Response.WriteAsJsonAsync(Body, http.RequestAborted);
    }
}
