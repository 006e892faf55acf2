namespace Latchkey.OAuth2.Hosted;

/// <summary>Every expected failure of the hosted login, sign-up, consent and logout pages, with its stable id (LK3500–LK3999).</summary>
public static class HostedErrors
{
    public static readonly HostedError MissingChallenge = new("LK3500", "Missing sign-in request",
        "This page must be opened from an application's sign-in link.", StatusCodes.Status400BadRequest);

    public static readonly HostedError UnknownRequest = new("LK3501", "Sign-in request not found",
        "This sign-in request is unknown or has expired.", StatusCodes.Status400BadRequest);

    public static readonly HostedError AlreadyHandled = new("LK3502", "Request already handled",
        "This sign-in request was already completed or cancelled.", StatusCodes.Status410Gone);

    public static readonly HostedError FormExpired = new("LK3503", "Form expired",
        "The form was not valid or has expired. Go back, reload the page and try again.", StatusCodes.Status400BadRequest);

    /// <summary>The same answer for an unknown email and a wrong password, so the form does not tell which accounts exist.</summary>
    public static readonly HostedError InvalidCredentials = new("LK3504", "Sign in",
        "The email or password is incorrect.", StatusCodes.Status422UnprocessableEntity);

    public static readonly HostedError Throttled = new("LK3505", "Sign in",
        "Too many failed attempts. Wait a few minutes, then try again.", StatusCodes.Status429TooManyRequests);

    public static readonly HostedError InvalidEmail = new("LK3506", "Sign up",
        "Enter a valid email address.", StatusCodes.Status422UnprocessableEntity);

    public static readonly HostedError PasswordTooShort = new("LK3507", "Sign up",
        $"The password must have at least {HostedEndpoints.MinPasswordLength} characters.", StatusCodes.Status422UnprocessableEntity);

    public static readonly HostedError PasswordTooLong = new("LK3508", "Sign up",
        $"The password must have at most {HostedEndpoints.MaxPasswordLength} characters.", StatusCodes.Status422UnprocessableEntity);

    public static readonly HostedError AccountExists = new("LK3509", "Sign up",
        "An account with this email already exists. Sign in instead.", StatusCodes.Status422UnprocessableEntity);

    public static readonly HostedError DeviceCodeInvalid = new("LK3600", "Connect a device",
        "That code is not valid. Check the code shown on your device and try again.", StatusCodes.Status422UnprocessableEntity);

    public static readonly HostedError DeviceTooManyAttempts = new("LK3601", "Connect a device",
        "Too many codes were tried. Start again from your device in a few minutes.", StatusCodes.Status429TooManyRequests);
}
