using System.ComponentModel.DataAnnotations;
using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages.Projects;

public sealed class IndexModel(PlatformApi api) : PageModel
{
    public IReadOnlyList<Project> Projects { get; private set; } = [];

    [BindProperty]
    public NewProject Input { get; set; } = new();

    public bool Welcome => QueryFlag.IsSet(Request, "welcome");

    public string IssuerOf(string slug) => api.Issuer(slug);

    public async Task OnGetAsync(CancellationToken ct) =>
        Projects = (await api.For(User).ListProjectsAsync(ct)).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await OnGetAsync(ct);
            return Page();
        }
        try
        {
            var project = await api.For(User).CreateProjectAsync(Input.Name.Trim(), Input.Environment, ct);
            return Redirect($"/projects/{project.Id}?created=1");
        }
        catch (LatchkeyApiException ex) when (ex.Status == 400)
        {
            ModelState.AddModelError("Input.Name", ex.Reason ?? ex.Description);
            await OnGetAsync(ct);
            return Page();
        }
    }

    public sealed class NewProject
    {
        [Required(ErrorMessage = "Give the project a name.")]
        [StringLength(128, ErrorMessage = "Use at most 128 characters.")]
        public string Name { get; set; } = "";

        public string Environment { get; set; } = "dev";
    }
}
