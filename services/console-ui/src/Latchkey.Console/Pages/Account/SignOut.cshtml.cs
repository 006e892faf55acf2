using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages.Account;

public sealed class SignOutModel(PlatformApi api) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            // Revoke the session key first, so a copy of the cookie is worthless too.
            try
            {
                await api.SignOutAsync(User, ct);
            }
            catch (HttpRequestException)
            {
                // The key expires by itself; the browser is signed out regardless.
            }
        }
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/sign-in");
    }
}
