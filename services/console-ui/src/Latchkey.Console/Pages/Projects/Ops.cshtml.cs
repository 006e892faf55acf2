using Latchkey.Console.Platform;

namespace Latchkey.Console.Pages.Projects;

/// <summary>Endpoint health. Request rate, error rate and p99 have no per-project data source yet; today's usage stands in.</summary>
public sealed class OpsModel(PlatformApi api) : ProjectPageModel(api)
{
    protected override string Section => "ops";

    public UsageDay? Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var report = await Api.UsageAsync(User, Project.Id, UsageView.Today, UsageView.Today, ct);
        Today = report is null ? null : (report.Days.Count > 0 ? report.Days[^1] : null) ?? new UsageDay(UsageView.Today, new Dictionary<string, long>(), 0, 0, 0, 0);
    }
}
