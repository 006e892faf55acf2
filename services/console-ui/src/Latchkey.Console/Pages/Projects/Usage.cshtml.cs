using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects;

public sealed class UsageModel(PlatformApi api, Pricing pricing, TimeProvider clock) : ProjectPageModel(api)
{
    protected override string Section => "usage";

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public UsageView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var today = UsageView.TodayOf(clock);
        var (from, to) = UsageView.Period(From, To, today);
        var report = await Api.UsageAsync(User, Project.Id, from, to, ct);
        long month = 0;
        if (report is not null)
        {
            month = report.Plan?.TokensThisMonth
                ?? (await Api.UsageAsync(User, Project.Id, UsageView.MonthStartOf(today), today, ct))?.TokensTotal ?? 0;
        }
        View = new UsageView($"/projects/{Project.Id}/usage", today, from, to, report, month, pricing.For(report?.Plan));
    }
}
