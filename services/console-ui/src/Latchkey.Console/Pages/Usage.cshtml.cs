using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Console.Pages;

/// <summary>The workspace's usage: the sum of its projects' reports, day by day.</summary>
public sealed class WorkspaceUsageModel(PlatformApi api, Pricing pricing, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<Project> Projects { get; private set; } = [];

    public IReadOnlyList<(Project Project, UsageReport? Report)> PerProject { get; private set; } = [];

    public UsageView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = UsageView.TodayOf(clock);
        var (from, to) = UsageView.Period(From, To, today);
        Projects = await api.For(User).ListProjectsAsync(ct);
        PerProject = await ReportsAsync(from, to, ct);
        var available = PerProject.Any(p => p.Report is not null);
        var report = available ? UsageReport.Sum(from, to, PerProject.Select(p => p.Report).OfType<UsageReport>()) : null;
        long month = 0;
        if (available)
        {
            month = PerProject.All(p => p.Report?.Plan is not null)
                ? PerProject.Sum(p => p.Report!.Plan!.TokensThisMonth)
                : (await ReportsAsync(UsageView.MonthStartOf(today), today, ct)).Sum(p => p.Report?.TokensTotal ?? 0);
        }
        PerProject = [.. PerProject.OrderByDescending(p => p.Report?.TokensTotal ?? 0)];
        // The quota is per project; the workspace view shows it for the plan its projects share.
        View = new UsageView("/usage", today, from, to, report, month, pricing.For(PerProject.Select(p => p.Report?.Plan).FirstOrDefault(p => p is not null)));
    }

    async Task<IReadOnlyList<(Project Project, UsageReport? Report)>> ReportsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        // A few at a time: a workspace may have many projects, and each is one control-plane call.
        var results = new List<(Project Project, UsageReport? Report)>();
        foreach (var chunk in Projects.Chunk(8))
        {
            var reports = await Task.WhenAll(chunk.Select(p => api.UsageAsync(User, p.Id, from, to, ct)));
            results.AddRange(chunk.Zip(reports));
        }
        return results;
    }
}
