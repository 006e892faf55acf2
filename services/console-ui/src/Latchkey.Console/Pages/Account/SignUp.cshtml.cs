using System.ComponentModel.DataAnnotations;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages.Account;

public sealed class SignUpModel(PlatformApi api) : PageModel
{
    [BindProperty]
    public NewAccount Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var email = Input.Email.Trim().ToLowerInvariant();
        if (await api.SignUpAsync(email, Input.Password, ct) is { } error)
        {
            switch (error.Status)
            {
                case 409:
                    ModelState.AddModelError("Input.Email", "An account with this email address already exists. Sign in instead.");
                    break;
                case 400 when error.Reason?.Contains("'password'", StringComparison.Ordinal) == true:
                    ModelState.AddModelError("Input.Password", error.Reason.Replace("'password'", "The password", StringComparison.Ordinal));
                    break;
                case 400:
                    ModelState.AddModelError("Input.Email", error.Reason?.Replace("'email'", "The email", StringComparison.Ordinal) ?? "Check the email address.");
                    break;
                default:
                    ModelState.AddModelError("", "The account could not be created. Try again in a moment.");
                    break;
            }
            return Page();
        }

        var (grant, _) = await api.SignInAsync(email, Input.Password, ct);
        if (grant is null) return RedirectToPage("/Account/SignIn");
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConsoleSession.Principal(email, grant),
            new AuthenticationProperties { ExpiresUtc = grant.ExpiresAt });
        return LocalRedirect("/?welcome=1");
    }

    public sealed class NewAccount
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address such as ada@example.com.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [MinLength(8, ErrorMessage = "The password must be at least 8 characters long.")]
        public string Password { get; set; } = "";
    }
}
