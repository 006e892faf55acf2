using Latchkey.ServiceDefaults;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>The accounts API's named errors, ids LK5500–LK5999.</summary>
internal static class AccountErrors
{
    // One answer for an unknown email and a wrong password, so sign-in cannot probe which emails exist.
    public static readonly OryError WrongCredentials =
        OryError.Unauthorized("The email address or password is incorrect.") with { Id = "LK5500" };

    public static readonly OryError EmailTaken =
        OryError.Conflict("An account with this email address already exists.") with { Id = "LK5501" };

    public static readonly OryError TooManyAttempts =
        new OryError(429, "Too many requests", "Too many failed sign-ins for this email address; try again in a few minutes.") with { Id = "LK5502" };

    public static readonly OryError InvalidKey =
        OryError.Unauthorized("The workspace API key is unknown, revoked or expired.") with { Id = "LK5503" };

    public static readonly OryError NotASession =
        OryError.BadRequest("The key is not a console session; revoke workspace keys elsewhere.") with { Id = "LK5504" };

    public static readonly OryError NotFound =
        OryError.NotFound("Unable to locate the account.") with { Id = "LK5505" };

    public static readonly OryError LastAccount =
        OryError.Conflict("The workspace's last account cannot be deleted; add another account first.") with { Id = "LK5506" };

    // A console session lasts 12 hours and sits in a browser: it may not mint permanent accounts on its own.
    public static readonly OryError OwnerPasswordRequired =
        OryError.Forbidden("A console session may add accounts only with its own password in 'current_password'; or use a workspace API key.") with { Id = "LK5507" };

    public static readonly OryError WrongOwnerPassword =
        OryError.Forbidden("'current_password' is not the signed-in account's password.") with { Id = "LK5508" };

    /// <summary>The email, password or another field of an accounts request is missing or malformed.</summary>
    public static OryError InvalidField(string reason) => OryError.BadRequest(reason) with { Id = "LK5509" };
}
