using System.ComponentModel.DataAnnotations;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages.Accounts;

/// <summary>The workspace's accounts: list, add (the signed-in account confirms with its password), delete.</summary>
public sealed class IndexModel(PlatformApi api) : PageModel
{
    public IReadOnlyList<WorkspaceAccount> Accounts { get; private set; } = [];

    [BindProperty]
    public NewAccount Input { get; set; } = new();

    public string? Notice { get; private set; }

    public string CurrentEmail => ConsoleSession.Email(User);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var added = Request.Query["added"].ToString();
        var deleted = Request.Query["deleted"].ToString();
        Notice = added.Length > 0 ? $"Added {added}. They can sign in now." : deleted.Length > 0 ? $"Deleted {deleted}. Their sessions have ended." : null;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var email = Input.Email.Trim().ToLowerInvariant();
            if (await api.AddAccountAsync(User, email, Input.Password, Input.CurrentPassword, ct) is not { } error)
                return Redirect($"/accounts?added={Uri.EscapeDataString(email)}");
            var reason = error.Reason ?? error.Description;
            switch (error.Status)
            {
                case 403:
                    ModelState.AddModelError("Input.CurrentPassword", "That is not your password.");
                    break;
                case 409:
                    ModelState.AddModelError("Input.Email", "An account with this email address already exists.");
                    break;
                case 429:
                    ModelState.AddModelError("", "Too many wrong passwords. Wait a few minutes, then try again.");
                    break;
                case 400 when reason.Contains("'password'", StringComparison.Ordinal):
                    ModelState.AddModelError("Input.Password", reason.Replace("'password'", "The password", StringComparison.Ordinal));
                    break;
                case 400 when reason.Contains("'email'", StringComparison.Ordinal):
                    ModelState.AddModelError("Input.Email", reason.Replace("'email'", "The email", StringComparison.Ordinal));
                    break;
                default:
                    ModelState.AddModelError("", $"The account could not be added: {reason}");
                    break;
            }
        }
        Input.Password = Input.CurrentPassword = "";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string email, CancellationToken ct)
    {
        if (await api.DeleteAccountAsync(User, email, ct) is { } error)
        {
            ModelState.AddModelError("", error.Status == 409
                ? "This is the workspace's last account; add another account before deleting it."
                : $"The account could not be deleted: {error.Reason ?? error.Description}");
            await LoadAsync(ct);
            return Page();
        }
        if (string.Equals(email, CurrentEmail, StringComparison.OrdinalIgnoreCase))
        {
            // The session died with the account.
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Redirect("/sign-in");
        }
        return Redirect($"/accounts?deleted={Uri.EscapeDataString(email)}");
    }

    async Task LoadAsync(CancellationToken ct) => Accounts = await api.AccountsAsync(User, ct);

    public sealed class NewAccount
    {
        [Required(ErrorMessage = "Enter the new account's email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address such as ada@example.com.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password for the new account.")]
        [MinLength(8, ErrorMessage = "The password must be at least 8 characters long.")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Enter your own password to confirm.")]
        public string CurrentPassword { get; set; } = "";
    }
}
