using System.Diagnostics;
using System.Globalization;
using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// <c>make bench-scale</c>: many projects in one deployment. It seeds <c>BENCH_SCALE_PROJECTS</c> projects through the
/// control-plane API (project, project API key, a client_credentials client and one access token each, several at a
/// time), then measures the token rate for one hot project and across random projects (<c>scripts/bench/scale.lua</c>
/// picks one per request), introspection across random projects, and the resident memory of each service. The
/// projects are deleted at the end.
/// </summary>
static class ScaleBench
{
    const int Parallel = 4;
    const string TokenBody = "grant_type=client_credentials&scope=read";

    sealed record Seeded(string Id, string Host, string ApiKey, ClientCredentials Client, string AccessToken);

    public static async Task RunAsync(BenchSettings settings, BenchPaths paths, LatchkeyClient controlPlane,
        IReadOnlyList<WatchedProcess> processes, IReadOnlyList<WatchedProcess> services, CancellationToken ct)
    {
        var count = paths.ScaleProjects!.Value;
        var seeded = new List<Seeded>();
        // Every project created, seeded or not, so that a failed run deletes them too.
        var created = new List<string>();
        var clock = Stopwatch.StartNew();
        try
        {
            Log.Info($"seeding {count} projects through the control-plane API, {Parallel} at a time");
            await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = ct }, async (i, token) =>
                {
                    var project = await SeedAsync(controlPlane, i, created, token);
                    lock (seeded)
                    {
                        seeded.Add(project);
                        if (seeded.Count % 500 == 0) Log.Info($"seeded {seeded.Count} projects in {clock.Elapsed.TotalSeconds:0}s");
                    }
                });
            Log.Info($"seeded {seeded.Count} projects in {clock.Elapsed.TotalSeconds:0.0}s " +
                $"({clock.Elapsed.TotalMilliseconds / Math.Max(1, seeded.Count):0} ms each at {Parallel} in parallel)");

            var rss = services.ToDictionary(s => s.Label, s => Rss(s.Pid));
            var target = new BenchTarget("latchkey", controlPlane.Hosts.PublicUrl, null) { Processes = processes };
            var hot = seeded[0];
            var tokens = Path.Combine(paths.Output, "scale-token-targets.tsv");
            var introspections = Path.Combine(paths.Output, "scale-introspection-targets.tsv");
            await File.WriteAllLinesAsync(tokens, seeded.Select(s => $"{s.Host}\t{s.Client.Basic}\t{TokenBody}"), ct);
            await File.WriteAllLinesAsync(introspections,
                seeded.Select(s => $"{s.Host}\tBearer {s.ApiKey}\ttoken={Uri.EscapeDataString(s.AccessToken)}"), ct);
            Scenario[] scenarios =
            [
                new("token-hot-project", target with { Host = hot.Host }, new("/oauth2/token", TokenBody, hot.Client.Basic)),
                new("token-random-projects", target, new("/oauth2/token")) { TargetsFile = tokens },
                new("introspection-random", target, new("/admin/oauth2/introspect")) { TargetsFile = introspections },
            ];
            var table = await new BenchRun(settings, new Wrk(settings, paths.Scripts), paths.Output).RunAsync(scenarios, [], ct);
            var after = services.ToDictionary(s => s.Label, s => Rss(s.Pid));
            table.Write(Console.Out,
                $"{seeded.Count} projects; wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Duration}; CPU in µs per request");
            Console.Out.WriteLine("RSS (MB) after seeding / after the runs: " + string.Join(", ",
                services.Select(s => $"{s.Label} {Megabytes(rss[s.Label])} / {Megabytes(after[s.Label])}")));
        }
        finally
        {
            Log.Info($"deleting {created.Count} projects");
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await System.Threading.Tasks.Parallel.ForEachAsync(created,
                new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = timeout.Token }, async (id, token) =>
                {
                    try
                    {
                        await controlPlane.DeleteProjectAsync(id, token);
                    }
                    catch (Exception ex) when (ex is LatchkeyApiException or HttpRequestException or TaskCanceledException)
                    {
                        Log.Info($"warning: could not delete project {id}: {ex.Message}");
                    }
                });
        }
    }

    static async Task<Seeded> SeedAsync(LatchkeyClient controlPlane, int index, List<string> created, CancellationToken ct)
    {
        var project = await controlPlane.CreateProjectAsync($"bench-scale-{index}", ct);
        lock (created) created.Add(project.Id);
        var key = (await controlPlane.CreateProjectApiKeyAsync(project.Id, "bench-scale", ct)).Value
            ?? throw new BenchException("POST /projects/{id}/tokens answered no key value");
        var admin = controlPlane.WithProjectApiKey(key);
        var client = await admin.CreateOAuth2ClientAsync(project.Slug,
            new OAuth2Client { ClientName = "bench-scale", GrantTypes = ["client_credentials"], Scope = "read" }, ct);
        if (client is not { ClientId: { Length: > 0 } id, ClientSecret: { Length: > 0 } secret })
            throw new BenchException("POST /admin/clients answered a client without id or secret");
        var token = await admin.ClientCredentialsAsync(project.Slug, id, secret, "read", null, ClientAuthMethod.ClientSecretBasic, ct);
        return new(project.Id, admin.Hosts.ProjectHost(project.Slug), key, new(id, secret), token.AccessToken);
    }

    /// <summary>Resident set size from <c>/proc/PID/status</c> (VmRSS, kB), or null.</summary>
    static long? Rss(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    static string Megabytes(long? bytes) => bytes is { } b ? (b / 1024.0 / 1024).ToString("0", CultureInfo.InvariantCulture) : "-";
}
