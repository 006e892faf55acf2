namespace Latchkey.Bench;

/// <summary>Runs the selected scenarios one after another: prepare, warm up, measure, add a row.</summary>
sealed class BenchRun(BenchSettings settings, Wrk wrk, string outputDirectory)
{
    public async Task<ResultTable> RunAsync(IEnumerable<Scenario> scenarios, CancellationToken ct)
    {
        var table = new ResultTable();
        foreach (var scenario in scenarios.Where(s => settings.Wants(s.Name)))
            table.Add(scenario.Name, await RunAsync(scenario, ct));
        return table;
    }

    async Task<WrkResult> RunAsync(Scenario scenario, CancellationToken ct)
    {
        if (scenario.Prepare is { } prepare)
            await prepare(ct);
        var pool = scenario.RefreshTokens;
        if (pool is not null)
        {
            pool.Clear();
            Log.Info($"minting {pool.Size} refresh tokens through the authorization-code flow");
            await pool.FillAsync(ct);
        }
        if (settings.HasWarmup)
        {
            await wrk.RunAsync(scenario, settings.Warmup, OutputFile(scenario.Name + ".warmup"), ct);
            if (pool is not null)
            {
                pool.KeepUnspent();
                await pool.FillAsync(ct);
            }
        }

        Log.Info($"wrk {scenario.Name}: {settings.Threads} threads, {settings.Connections} connections, {settings.Duration}" +
            (pool is null ? "" : $", {pool.Size} refresh tokens"));
        var output = await wrk.RunAsync(scenario, settings.Duration, OutputFile(scenario.Name), ct);
        // refresh.lua's own tally (sent, rotated, failed, starved) says whether the pool held out.
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("refresh: ", StringComparison.Ordinal)))
            Log.Info(line.TrimEnd());
        return WrkResult.Parse(output);
    }

    string OutputFile(string name) => Path.Combine(outputDirectory, name + ".txt");
}
