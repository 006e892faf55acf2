using Microsoft.AspNetCore.Http;

namespace Latchkey.ServiceDefaults;

/// <summary>
/// Hydra's wire shape for errors on every per-project endpoint, public and <c>/admin</c>:
/// <c>{"error": "…", "error_description": "…"}</c> (its <c>errorOAuth2</c>), so Hydra's SDKs read <c>error</c>
/// as a string. Names are fosite's where it has one; not-found and conflict use Hydra's own
/// <c>x.ErrNotFound</c> and <c>x.ErrConflict</c> names, as its admin API answers them.
/// </summary>
public sealed record OAuth2Error(string Error, string Description, int Status)
{
    /// <summary>
    /// The stable catalogue id (<c>LK</c> and four digits, OpenIddict's <c>ID2000</c> style) of a named error in a
    /// service's catalogue (<c>ClientErrors</c>, <c>FlowErrors</c>, …); tests assert it instead of the wording.
    /// </summary>
    public string Id { get; init; } = "";

    public static OAuth2Error InvalidRequest(string why) =>
        new("invalid_request", $"The request is missing a required parameter, includes an invalid parameter value, or is otherwise malformed. {why}", 400);

    public static OAuth2Error InvalidClientMetadata(string why) =>
        new("invalid_client_metadata", $"The value of one of the client metadata fields is invalid and the server has rejected this request. {why}", 400);

    public static OAuth2Error Unauthorized(string why) =>
        new("request_unauthorized", $"The request could not be authorized. {why}", 401);

    public static OAuth2Error NotFound(string why) =>
        new("Not Found", $"Unable to locate the requested resource. {why}", 404);

    public static OAuth2Error Conflict(string why) =>
        new("Conflict", $"Unable to process the requested resource because of conflict in the current state. {why}", 409);

    public static OAuth2Error PayloadTooLarge(string why) =>
        new("invalid_request", $"The request body is too large. {why}", 413);

    public static readonly OAuth2Error ServerError =
        new("server_error", "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.", 500);

    public static readonly OAuth2Error TemporarilyUnavailable =
        new("temporarily_unavailable", "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server. Retry the request later.", 503);

    public object Body => new { error = Error, error_description = Description };

    public IResult ToResult() => ErrorId.Json(Body, Status, Id);

    public Task WriteAsync(HttpContext http)
    {
        http.Response.StatusCode = Status;
        ErrorId.Attach(http.Response, Id);
        return http.Response.WriteAsJsonAsync(Body, http.RequestAborted);
    }
}
