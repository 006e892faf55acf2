using Latchkey.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Device;

/// <summary>
/// Every expected failure of the device authorization grant (RFC 8628) and of Hydra's device admin API, with its
/// stable id (LK1200–LK1299). Entries in OpenIddict's error codes are rejections inside its pipeline.
/// </summary>
public static class DeviceErrors
{
    public static readonly OAuth2Error ChallengeMissing =
        OAuth2Error.InvalidRequest("Query parameter 'device_challenge' is not defined but should have been.") with { Id = "LK1200" };

    public static readonly OAuth2Error UserCodeEmpty =
        OAuth2Error.InvalidRequest("Field 'user_code' must not be empty.") with { Id = "LK1201" };

    public static readonly OAuth2Error UnknownChallenge =
        OAuth2Error.NotFound("The device challenge is unknown or has expired.") with { Id = "LK1202" };

    /// <summary>Hydra's answer for a user code that is wrong, expired or already used; the same for each, so none can be told apart.</summary>
    public static readonly OAuth2Error InvalidUserCode =
        OAuth2Error.InvalidRequest("The 'user_code' session could not be found or has expired or is otherwise malformed.") with { Id = "LK1203" };

    public static readonly OAuth2Error TooManyAttempts =
        new OAuth2Error("too_many_requests", "Too many user codes were tried for this request or project. Start again with the code shown on the device, later.", 429) with { Id = "LK1204" };

    public static readonly OAuth2Error AlreadyHandled =
        new OAuth2Error("Gone", "The device request was already handled.", 410) with { Id = "LK1205" };

    public static readonly OAuth2Error HandledConcurrently =
        OAuth2Error.Conflict("The device request was handled concurrently.") with { Id = "LK1206" };

    public static readonly OAuth2Error InvalidVerifier =
        new OAuth2Error(Errors.InvalidRequest, "The device verifier is invalid, expired, was already used, or belongs to another browser.", 400) with { Id = "LK1207" };

    /// <summary>RFC 8628 §3.5: the device polls faster than the <c>interval</c> it was given.</summary>
    public static readonly OAuth2Error SlowDown =
        new OAuth2Error(Errors.SlowDown, "The device is polling faster than the interval it was given; wait longer between requests.", 400) with { Id = "LK1208" };

    public static readonly OAuth2Error UserCodeNotResolvable =
        new OAuth2Error(Errors.InvalidToken, "User codes are verified through the device verification app.", 400) with { Id = "LK1209" };

    public static readonly OAuth2Error DeviceCodeOfAnotherClient =
        new OAuth2Error(Errors.InvalidGrant, "The device code was issued to another client.", 400) with { Id = "LK1210" };
}
