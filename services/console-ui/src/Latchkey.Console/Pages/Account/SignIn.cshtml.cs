using System.ComponentModel.DataAnnotations;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages.Account;

public sealed class SignInModel(PlatformApi api) : PageModel
{
    [BindProperty]
    public Credentials Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Expired => QueryFlag.IsSet(Request, "expired");

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(Target) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var (grant, error) = await api.SignInAsync(Input.Email.Trim(), Input.Password, ct);
        if (grant is null)
        {
            ModelState.AddModelError("", error?.Status == 429
                ? "Too many failed attempts. Wait a few minutes, then try again."
                : "The email address or password is incorrect.");
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleSession.Principal(Input.Email.Trim().ToLowerInvariant(), grant),
            new AuthenticationProperties { ExpiresUtc = grant.ExpiresAt, IsPersistent = false });
        return LocalRedirect(Target);
    }

    string Target => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    public sealed class Credentials
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address such as ada@example.com.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }
}
