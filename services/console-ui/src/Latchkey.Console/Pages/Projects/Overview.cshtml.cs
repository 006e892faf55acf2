using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects;

public sealed class OverviewModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "overview";

    public bool Created => QueryFlag.IsSet(Request, "created");

    public string PublicUrl => Api.Hosts.PublicUrl.GetLeftPart(UriPartial.Authority);

    public Task OnGetAsync(CancellationToken ct) => LoadProjectAsync(ct);
}
