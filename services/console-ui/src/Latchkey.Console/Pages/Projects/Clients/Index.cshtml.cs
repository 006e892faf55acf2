using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects.Clients;

public sealed class IndexModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "clients";

    public IReadOnlyList<OAuth2Client> Clients { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Saved { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Deleted { get; set; }

    public string? Notice => Saved is not null ? $"Saved client {Saved}." : Deleted is not null ? $"Deleted client {Deleted}." : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        Clients = (await Client.ListOAuth2ClientsAsync(Project.Slug, ct)).OrderBy(c => c.ClientName, StringComparer.OrdinalIgnoreCase).ToList();
    }
}
