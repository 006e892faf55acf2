using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Clients;

/// <summary>The named errors of client registration and client authentication (ids LK1500–LK1999).</summary>
public static class ClientErrors
{
    public static OAuth2Error UnregisteredGrant(string grant) =>
        new OAuth2Error("unauthorized_client",
            $"The client is not authorized to request a token using this method. The OAuth 2.0 Client is not allowed to use authorization grant '{grant}'.",
            400)
        { Id = "LK1500" };
}
