using Latchkey.Storage;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>What a sign-in came to: a session key and its value, wrong credentials, or too many attempts.</summary>
internal sealed record SignInOutcome(ApiKey? Key, string? Value, bool IsThrottled = false)
{
    public static readonly SignInOutcome WrongCredentials = new(null, null);
    public static readonly SignInOutcome Throttled = new(null, null, IsThrottled: true);
}
