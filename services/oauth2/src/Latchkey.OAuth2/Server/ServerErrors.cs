using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// The named errors of the oauth2 service as a whole: hosts, routes and the exceptions
/// <see cref="OAuth2ExceptionHandler"/> maps (ids LK1000–LK1099; the <c>/admin</c> API's are <c>AdminErrors</c>).
/// </summary>
public static class ServerErrors
{
    public static OAuth2Error UnknownHost(string host) =>
        OAuth2Error.NotFound($"No project is served at host '{host}'.") with { Id = "LK1000" };

    public static OAuth2Error NoEndpoint(string method, string path) =>
        OAuth2Error.NotFound($"No endpoint at {method} {path}.") with { Id = "LK1001" };

    public static readonly OAuth2Error BodyTooLarge =
        OAuth2Error.PayloadTooLarge($"At most {OAuth2App.MaxRequestBodyBytes} bytes are accepted.") with { Id = "LK1002" };

    public static readonly OAuth2Error MalformedJson =
        OAuth2Error.InvalidRequest("The request body is not valid JSON.") with { Id = "LK1003" };

    /// <summary>A request ASP.NET Core could not bind (a missing or mistyped parameter), with its own status and words.</summary>
    public static OAuth2Error Unbindable(string message, int status) =>
        new OAuth2Error("invalid_request", message, status) { Id = "LK1004" };

    /// <summary>A form over its limits (field count, field length) as ASP.NET Core's form reader reports it.</summary>
    public static OAuth2Error FormTooLarge(string message) =>
        OAuth2Error.InvalidRequest(message) with { Id = "LK1005" };

    public static readonly OAuth2Error ConcurrentChange =
        OAuth2Error.Conflict("The resource was changed or created concurrently; retry the request.") with { Id = "LK1006" };

    public static readonly OAuth2Error StorageUnavailable = OAuth2Error.TemporarilyUnavailable with { Id = "LK1007" };

    public static readonly OAuth2Error Unexpected = OAuth2Error.ServerError with { Id = "LK1008" };
}
