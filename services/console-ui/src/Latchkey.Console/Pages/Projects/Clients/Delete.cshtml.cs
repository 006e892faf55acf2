using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects.Clients;

public sealed class DeleteModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "clients";

    [BindProperty(SupportsGet = true)]
    public string ClientId { get; set; } = "";

    public string Name { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var client = await Client.GetOAuth2ClientAsync(Project.Slug, ClientId, ct);
        Name = string.IsNullOrEmpty(client.ClientName) ? ClientId : client.ClientName;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        await Client.DeleteOAuth2ClientAsync(Project.Slug, ClientId, ct);
        return Redirect($"/projects/{Project.Id}/clients?deleted={Uri.EscapeDataString(ClientId)}");
    }
}
