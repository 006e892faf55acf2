using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects.Trust;

/// <summary>Confirms, then deletes, one trust relationship: its issuer's assertions are refused from then on.</summary>
public sealed class DeleteModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "trust";

    [BindProperty(SupportsGet = true)]
    public string TrustId { get; set; } = "";

    public TrustedIssuer Trust { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        if (await Api.TrustedIssuerAsync(User, Project.Slug, TrustId, ct) is not { } trust) return NotFound();
        Trust = trust;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        if (await Api.TrustedIssuerAsync(User, Project.Slug, TrustId, ct) is not { } trust) return NotFound();
        Trust = trust;
        if (await Api.DeleteTrustedIssuerAsync(User, Project.Slug, TrustId, ct) is { } error)
        {
            if (error.Status is 401) throw error;
            // Deleted meanwhile (404) is what was asked for.
            if (error.Status is not 404)
            {
                ModelState.AddModelError("", error.Description);
                return Page();
            }
        }
        return Redirect($"/projects/{Project.Id}/trust?deleted={Uri.EscapeDataString(trust.Issuer)}");
    }
}
