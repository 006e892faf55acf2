using Latchkey.ServiceDefaults;

namespace Latchkey.ControlPlane.Http;

/// <summary>The control plane's named errors.</summary>
internal static class ControlPlaneErrors
{
    public static readonly OryError MissingKey =
        OryError.Unauthorized("The request carries no workspace API key; send 'Authorization: Bearer lk_wak_…'.");

    public static readonly OryError InvalidKey =
        OryError.Unauthorized("The workspace API key is unknown, revoked or expired.");

    // Another workspace's project answers exactly like a missing one, so ids cannot be probed.
    public static readonly OryError ProjectNotFound =
        OryError.NotFound("Unable to locate the project.");

    public static readonly OryError TokenNotFound =
        OryError.NotFound("Unable to locate the project API key.");

    public static OryError Invalid(string reason) => OryError.BadRequest(reason);
}
