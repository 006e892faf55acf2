using System.ComponentModel.DataAnnotations;
using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects;

public sealed class ApiKeysModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "api-keys";

    public IReadOnlyList<ProjectApiKey> Keys { get; private set; } = [];

    [BindProperty]
    [Required(ErrorMessage = "Give the key a name.")]
    [StringLength(128, ErrorMessage = "Use at most 128 characters.")]
    public string? Name { get; set; }

    public ProjectApiKey? CreatedKey { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Revoked { get; set; }

    public string? Notice => Revoked is null ? null : $"Revoked API key “{Revoked}”. It no longer works.";

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        await LoadKeysAsync(ct);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        if (ModelState.IsValid)
        {
            try
            {
                CreatedKey = await Client.CreateProjectApiKeyAsync(Project.Id, Name!.Trim(), ct);
                Name = null;
                ModelState.Clear();
            }
            catch (LatchkeyApiException ex) when (ex.Status == 400)
            {
                ModelState.AddModelError(nameof(Name), ex.Reason ?? ex.Description);
            }
        }
        await LoadKeysAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string keyId, CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var name = (await Client.ListProjectApiKeysAsync(Project.Id, ct)).FirstOrDefault(k => k.Id == keyId)?.Name ?? keyId;
        await Client.DeleteProjectApiKeyAsync(Project.Id, keyId, ct);
        return Redirect($"/projects/{Project.Id}/api-keys?revoked={Uri.EscapeDataString(name)}");
    }

    async Task LoadKeysAsync(CancellationToken ct) =>
        Keys = (await Client.ListProjectApiKeysAsync(Project.Id, ct)).OrderByDescending(k => k.CreatedAt).ToList();
}
