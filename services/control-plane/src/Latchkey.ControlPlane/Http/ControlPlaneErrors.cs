using Latchkey.ServiceDefaults;

namespace Latchkey.ControlPlane.Http;

/// <summary>The control plane's named errors, ids LK5000–LK5499 (accounts have <c>AccountErrors</c>).</summary>
internal static class ControlPlaneErrors
{
    public static readonly OryError MissingKey =
        OryError.Unauthorized("The request carries no workspace API key; send 'Authorization: Bearer lk_wak_…'.") with { Id = "LK5000" };

    public static readonly OryError InvalidKey =
        OryError.Unauthorized("The workspace API key is unknown, revoked or expired.") with { Id = "LK5001" };

    // Another workspace's project answers exactly like a missing one, so ids cannot be probed.
    public static readonly OryError ProjectNotFound =
        OryError.NotFound("Unable to locate the project.") with { Id = "LK5002" };

    public static readonly OryError ApiKeyNotFound =
        OryError.NotFound("Unable to locate the project API key.") with { Id = "LK5003" };

    /// <summary>A field of the request is missing or has a value out of bounds; <paramref name="reason"/> names it.</summary>
    public static OryError Invalid(string reason) => OryError.BadRequest(reason) with { Id = "LK5004" };

    public static OryError NotAnObject(string example) =>
        OryError.BadRequest($"The body must be a JSON object such as {example}.") with { Id = "LK5005" };

    /// <summary>The JSON Patch document is malformed, or one of its operations failed.</summary>
    public static OryError InvalidPatch(string reason) => OryError.BadRequest(reason) with { Id = "LK5006" };

    public static OryError NotPatchable(string operation, string path, string configPath) =>
        OryError.BadRequest($"{operation} may not change '{path}'; only /name and paths under {configPath}/ can be patched.") with { Id = "LK5007" };

    /// <summary>The patched OAuth2 config does not have the allowed shape or breaks a rule.</summary>
    public static OryError InvalidConfig(string reason) => OryError.BadRequest(reason) with { Id = "LK5008" };

    public static readonly OryError EmptyBody =
        OryError.BadRequest("The request body is empty; a JSON document is required.") with { Id = "LK5009" };

    public static OryError MalformedJson(string detail) =>
        OryError.BadRequest($"The request body is not valid JSON: {detail}") with { Id = "LK5010" };

    public static readonly OryError BodyTooLarge =
        OryError.PayloadTooLarge($"The request body exceeds {RequestJson.MaxBodyBytes} bytes.") with { Id = "LK5011" };

    public static OryError NoRoute(string method, string path) =>
        OryError.NotFound($"No route matches {method} {path}.") with { Id = "LK5012" };

    public static OryError MethodNotAllowed(string method, string path) =>
        new OryError(405, "The requested method is not allowed", $"{method} is not allowed on {path}.") with { Id = "LK5013" };

    public static readonly OryError UnsupportedMediaType =
        new OryError(415, "The request body has an unsupported media type", "Send JSON.") with { Id = "LK5014" };

    /// <summary>Any other bodiless status an endpoint or the framework answered with.</summary>
    public static OryError Status(int code) => new OryError(code, "The request could not be processed", "") with { Id = "LK5015" };
}
