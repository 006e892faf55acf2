using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Latchkey.Console.Platform;

/// <summary>
/// What the auth cookie carries: the account's email, its workspace, and the session's workspace key
/// (<c>lk_wak_…</c>) with its expiry. The cookie is encrypted by Data Protection, so the key never
/// reaches the browser in a readable form.
/// </summary>
public static class ConsoleSession
{
    public const string EmailClaim = "email";
    public const string WorkspaceClaim = "workspace_id";
    public const string KeyClaim = "lk_session_key";
    public const string ExpiresClaim = "lk_session_expires_at";

    public static ClaimsPrincipal Principal(string email, SessionGrant grant) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, email),
        new Claim(EmailClaim, email),
        new Claim(WorkspaceClaim, grant.WorkspaceId),
        new Claim(KeyClaim, grant.Value),
        new Claim(ExpiresClaim, grant.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    public static string? Key(ClaimsPrincipal user) => user.FindFirstValue(KeyClaim);

    public static string Email(ClaimsPrincipal user) => user.FindFirstValue(EmailClaim) ?? "";

    /// <summary>Signs the browser out once its session key has expired, instead of failing every API call.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var expires = context.Principal?.FindFirstValue(ExpiresClaim);
        if (expires is null || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) || at <= context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
