using Latchkey.Console.Platform;

namespace Latchkey.Console.Pages.Projects;

/// <summary>Endpoint health over the last hour: requests per second, error rate and p99 latency, per endpoint.</summary>
public sealed class OpsModel(PlatformApi api) : ProjectPageModel(api)
{
    public const int Minutes = 60;

    protected override string Section => "ops";

    /// <summary>Null when the control plane does not serve ops metrics.</summary>
    public OpsReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        Report = await Api.OpsAsync(User, Project.Id, Minutes, ct);
    }

    public static string Rate(double rate) => rate.ToString("0.##%", System.Globalization.CultureInfo.InvariantCulture);

    public static string Rps(OpsMinute m) =>
        m.Rps == 0 && m.Requests > 0 ? "< 0.001" : m.Rps.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    public static string P99(int? ms) => ms is { } v ? $"≤ {v:N0} ms" : "—";
}
