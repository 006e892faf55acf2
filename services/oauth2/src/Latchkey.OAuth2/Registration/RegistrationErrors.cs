using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Registration;

/// <summary>The named errors of dynamic client registration, RFC 7591/7592 at <c>/oauth2/register</c> (ids LK1400–LK1499).</summary>
public static class RegistrationErrors
{
    public static readonly OAuth2Error NotEnabled =
        OAuth2Error.NotFound("Dynamic registration is not enabled.") with { Id = "LK1400" };

    public static readonly OAuth2Error SecretChosen =
        OAuth2Error.InvalidRequest("It is not allowed to choose your own OAuth2 Client secret.") with { Id = "LK1401" };

    /// <summary>A field only the project's admin API may set (Hydra's list, and the per-grant lifespans).</summary>
    public static OAuth2Error AdminOnly(string field) =>
        OAuth2Error.InvalidClientMetadata($"\"{field}\" cannot be set for dynamic client registration.") with { Id = "LK1402" };

    /// <summary>No client, no registration access token, or not this client's: the same answer, so ids cannot be probed.</summary>
    public static readonly OAuth2Error BadCredentials =
        OAuth2Error.Unauthorized("The requested OAuth 2.0 client does not exist or you provided incorrect credentials.") with { Id = "LK1403" };

    public static readonly OAuth2Error SecretChangeForbidden =
        new OAuth2Error("Forbidden", "It is not allowed to choose your own OAuth2 Client secret.", 403) { Id = "LK1404" };

    public static readonly OAuth2Error ClientIdChanged =
        OAuth2Error.InvalidRequest("client_id cannot be changed.") with { Id = "LK1405" };
}
