using Latchkey.ServiceDefaults;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>The accounts API's named errors.</summary>
internal static class AccountErrors
{
    // One answer for an unknown email and a wrong password, so sign-in cannot probe which emails exist.
    public static readonly OryError WrongCredentials =
        OryError.Unauthorized("The email address or password is incorrect.");

    public static readonly OryError EmailTaken =
        OryError.Conflict("An account with this email address already exists.");

    public static readonly OryError TooManyAttempts =
        new(429, "Too many requests", "Too many failed sign-ins for this email address; try again in a few minutes.");

    public static readonly OryError InvalidKey =
        OryError.Unauthorized("The workspace API key is unknown, revoked or expired.");

    public static readonly OryError NotASession =
        OryError.BadRequest("The key is not a console session; revoke workspace keys elsewhere.");

    public static readonly OryError NotFound =
        OryError.NotFound("Unable to locate the account.");

    public static readonly OryError LastAccount =
        OryError.Conflict("The workspace's last account cannot be deleted; add another account first.");

    // A console session lasts 12 hours and sits in a browser: it may not mint permanent accounts on its own.
    public static readonly OryError OwnerPasswordRequired =
        OryError.Forbidden("A console session may add accounts only with its own password in 'current_password'; or use a workspace API key.");

    public static readonly OryError WrongOwnerPassword =
        OryError.Forbidden("'current_password' is not the signed-in account's password.");
}
