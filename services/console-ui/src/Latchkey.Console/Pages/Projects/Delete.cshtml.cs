using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects;

public sealed class DeleteModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "overview";

    [BindProperty]
    public string? Confirmation { get; set; }

    public Task OnGetAsync(CancellationToken ct) => LoadProjectAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        if (!string.Equals(Confirmation?.Trim(), Project.Name, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(Confirmation), $"Type “{Project.Name}” exactly to delete this project.");
            return Page();
        }
        await Client.DeleteProjectAsync(Project.Id, ct);
        return Redirect("/");
    }
}
