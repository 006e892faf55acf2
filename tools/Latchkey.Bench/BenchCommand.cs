using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// <c>latchkey-bench --out DIR --scripts DIR</c>: sets up the bench project, runs the scenarios with wrk and prints the
/// table. The platform must be up; <c>scripts/bench.sh</c> starts it when needed. Knobs come from <c>BENCH_*</c>, the
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
            var (outputDirectory, scriptsDirectory) = Paths(args);
            var settings = BenchSettings.FromEnvironment(env);
            await RunAsync(settings, outputDirectory, scriptsDirectory, env, cancel.Token);
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Log.Error("cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is BenchException or LatchkeyApiException or HttpRequestException or ArgumentException)
        {
            Log.Error(ex.Message);
            return 1;
        }
    }

    static async Task RunAsync(BenchSettings settings, string outputDirectory, string scriptsDirectory, Func<string, string?> env, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        // Only the workspace key: the project key comes from the project the bench creates.
        var controlPlane = LatchkeyClient.FromEnvironment(http, env).WithProjectApiKey(null);
        if (controlPlane.WorkspaceKey is null)
            throw new BenchException($"{LatchkeyClient.WorkspaceKeyVariable} is not set");
        Directory.CreateDirectory(outputDirectory);
        // The refresh tokens are secrets: a private directory (mode 700), removed at the end.
        var secrets = Directory.CreateTempSubdirectory("latchkey-bench.");
        try
        {
            await using var project = await BenchProject.CreateAsync(controlPlane, ct);
            var target = new BenchTarget("latchkey", controlPlane.Hosts.PublicUrl, project.Host);
            var flow = new LatchkeyCodeFlow(project, http);
            var pool = new RefreshTokenPool(flow.RefreshTokenAsync, settings.RefreshPool, settings.MintJobs, secrets.FullName);
            var scenarios = await LatchkeyScenarios.CreateAsync(project, target, pool, ct);

            var table = await new BenchRun(settings, new Wrk(settings, scriptsDirectory), outputDirectory).RunAsync(scenarios, ct);
            table.Write(Console.Out,
                $"wrk -t{settings.Threads} -c{settings.Connections} -d{settings.Duration} against {target.Describe()}; raw output in {outputDirectory}/");
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    static (string Output, string Scripts) Paths(string[] args)
    {
        string? output = null, scripts = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--out": output = args[i + 1]; break;
                case "--scripts": scripts = args[i + 1]; break;
                default: throw new BenchException($"unknown argument '{args[i]}'");
            }
        }
        return output is not null && scripts is not null && args.Length % 2 == 0
            ? (Path.GetFullPath(output), Path.GetFullPath(scripts))
            : throw new BenchException("usage: latchkey-bench --out DIR --scripts DIR");
    }
}
