using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// The named errors of committing a sign-in's writes (ids LK4500–LK4599). They are rejected inside
/// OpenIddict's pipeline, which answers them in Hydra's shape with the status of the error code.
/// </summary>
public static class StorageErrors
{
    /// <summary>A code or refresh token redeemed concurrently: the version check at commit failed.</summary>
    public static readonly OAuth2Error GrantAlreadyUsed =
        new OAuth2Error("invalid_grant", "The authorization code or refresh token was already used.", 400) { Id = "LK4500" };

    /// <summary>A login or consent flow completed twice: the version check at commit failed.</summary>
    public static readonly OAuth2Error VerifierAlreadyUsed =
        new OAuth2Error("invalid_request", "The consent verifier was already used.", 400) { Id = "LK4501" };
}
