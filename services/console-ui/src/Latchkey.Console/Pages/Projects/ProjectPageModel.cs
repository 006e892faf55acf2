using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages.Projects;

/// <summary>
/// A page about one project. The project is loaded with the signed-in workspace's key, so a project of
/// another workspace is simply not found (404), whatever id is in the URL.
/// </summary>
public abstract class ProjectPageModel(PlatformApi api) : PageModel
{
    protected PlatformApi Api { get; } = api;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    public Project Project { get; private set; } = new();

    public string Issuer => Api.Issuer(Project.Slug);

    protected LatchkeyClient Client => Api.For(User);

    protected abstract string Section { get; }

    protected async Task LoadProjectAsync(CancellationToken ct)
    {
        Project = await Client.GetProjectAsync(Id, ct);
        ViewData["Project"] = Project;
        ViewData["Section"] = Section;
    }
}
