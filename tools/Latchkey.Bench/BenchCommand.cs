using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// <c>latchkey-bench --out DIR --scripts DIR [--pids FILE] [--peer DIR]</c>: sets up the bench project, runs the
/// scenarios with wrk and prints the table. <c>--pids</c> is <c>scripts/run.sh</c>'s pid file, for the CPU per request of
/// oauth2 and the gateway; <c>--peer</c> a node-oidc-provider folder with its packages installed, run side by side. The platform must be up; <c>scripts/bench.sh</c> starts it when needed. Knobs come from <c>BENCH_*</c>, the
/// gateway from <c>LATCHKEY_PUBLIC_URL</c> / <c>LATCHKEY_DOMAIN</c>, the key from <c>LATCHKEY_WORKSPACE_KEY</c>.
/// </summary>
/// <remarks>
/// A tool of its own rather than a <c>latchkey</c> command: it plays the login app, creates and deletes a whole
/// project and drives wrk, none of which a user of the CLI should find among its commands.
/// </remarks>
static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, Func<string, string?> env)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Stop the run, but let it delete its project first.
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            var paths = BenchPaths.Parse(args);
            var settings = BenchSettings.FromEnvironment(env);
            await RunAsync(settings, paths, env, cancel.Token);
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Log.Error("cancelled");
            return 130;
        }
        // A TaskCanceledException not of our making is HttpClient's timeout: a request the platform did not answer in time.
        catch (Exception ex) when (ex is BenchException or LatchkeyApiException or HttpRequestException or ArgumentException
            or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            Log.Error(ex.Message);
            return 1;
        }
    }

    static async Task RunAsync(BenchSettings settings, BenchPaths paths, Func<string, string?> env, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        // Only the workspace key: the project key comes from the project the bench creates.
        var controlPlane = LatchkeyClient.FromEnvironment(http, env).WithProjectApiKey(null);
        if (controlPlane.WorkspaceKey is null)
            throw new BenchException($"{LatchkeyClient.WorkspaceKeyVariable} is not set");
        var outputDirectory = paths.Output;
        Directory.CreateDirectory(outputDirectory);
        // The refresh tokens are secrets: a private directory (mode 700), removed at the end.
        var secrets = Directory.CreateTempSubdirectory("latchkey-bench.");
        try
        {
            var processes = paths.Pids is { } pids && File.Exists(pids)
                ? WatchedProcess.FromRunPids(await File.ReadAllTextAsync(pids, ct), "oauth2", "gateway")
                : [];
            if (processes.Count == 0)
                Log.Info("no pid file of scripts/run.sh: no CPU per request for oauth2 and the gateway");
            if (paths.ScaleProjects is not null)
            {
                var services = paths.Pids is { } all && File.Exists(all)
                    ? WatchedProcess.FromRunPids(await File.ReadAllTextAsync(all, ct), "gateway", "control-plane", "oauth2", "console")
                    : [];
                await ScaleBench.RunAsync(settings, paths, controlPlane, processes, services, ct);
                return;
            }
            await using var project = await BenchProject.CreateAsync(controlPlane, ct);
            var target = new BenchTarget("latchkey", controlPlane.Hosts.PublicUrl, project.Host) { Processes = processes };
            var flow = new LatchkeyCodeFlow(project, http);
            var pool = new RefreshTokenPool(flow.RefreshTokenAsync, settings.RefreshPool, settings.MintJobs, secrets.FullName);
            var scenarios = await LatchkeyScenarios.CreateAsync(project, target, pool, ct);

            await using var peer = paths.Peer is { } peerDirectory ? await PeerServers.StartAsync(peerDirectory, outputDirectory, http, ct) : null;
            var peerScenarios = peer is null ? [] : PeerScenarios.Create(peer.Opaque, peer.Jwt, http);

            var table = await new BenchRun(settings, new Wrk(settings, paths.Scripts), outputDirectory).RunAsync(scenarios, peerScenarios, ct);
            table.Write(Console.Out,
                $"wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Duration} against {target.Describe()}" +
                (peer is null ? "" : $" and node-oidc-provider at {peer.Opaque.Url} (jwt: {peer.Jwt.Url}), alternating") +
                $"; ratio = Latchkey / peer; CPU in µs per request; raw output in {outputDirectory}/");
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }
}
