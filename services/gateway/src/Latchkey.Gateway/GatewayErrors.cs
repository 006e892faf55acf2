using Latchkey.ServiceDefaults;

namespace Latchkey.Gateway;

/// <summary>
/// The gateway's named errors, ids LK6000–LK6499. On a project's host they are in Hydra's OAuth2 shape, like
/// everything else served there; elsewhere in Ory's envelope.
/// </summary>
internal static class GatewayErrors
{
    static string BodyLimit => $"Request bodies are limited to {GatewayApp.MaxRequestBodyBytes / 1024} KB.";

    public static readonly OryError TooLarge = OryError.PayloadTooLarge(BodyLimit) with { Id = "LK6000" };

    public static readonly OAuth2Error ProjectTooLarge = OAuth2Error.PayloadTooLarge(BodyLimit) with { Id = "LK6001" };

    public static OryError UnknownHost(string host) =>
        OryError.NotFound($"Nothing is served at host '{host}'.") with { Id = "LK6002" };

    public static OAuth2Error UnknownProject(string host) =>
        OAuth2Error.NotFound($"No project is served at host '{host}'.") with { Id = "LK6003" };
}
