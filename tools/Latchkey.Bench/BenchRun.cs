namespace Latchkey.Bench;

/// <summary>
/// Runs the selected scenarios one after another: prepare, warm up, measure, add a row. With a peer, each scenario runs
/// against Latchkey and then against the peer before the next one starts, so both see the same machine at nearly the
/// same moment and their ratio holds even when other work on the box makes the absolute rates drift.
/// </summary>
sealed class BenchRun(BenchSettings settings, Wrk wrk, string outputDirectory)
{
    public async Task<ResultTable> RunAsync(IEnumerable<Scenario> latchkey, IReadOnlyList<Scenario> peer, CancellationToken ct)
    {
        var table = new ResultTable();
        foreach (var scenario in latchkey.Where(s => settings.Wants(s.Name)))
        {
            var ours = await RunAsync(scenario, ct);
            var theirs = peer.FirstOrDefault(p => p.Name == scenario.Name) is { } match ? await RunAsync(match, ct) : null;
            table.Add(scenario.Name, ours, theirs);
        }
        return table;
    }

    async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken ct)
    {
        if (scenario.Prepare is { } prepare && await prepare(ct) is { } request)
            scenario = scenario with { Request = request };
        var pool = scenario.RefreshTokens;
        if (pool is not null)
        {
            pool.Clear();
            Log.Info($"minting {pool.Size} refresh tokens through the authorization-code flow");
            await pool.FillAsync(ct);
        }
        var name = scenario.Target.Name == "latchkey" ? scenario.Name : $"{scenario.Name}.{scenario.Target.Name}";
        if (settings.HasWarmup)
        {
            await wrk.RunAsync(scenario, settings.Warmup, OutputFile(name + ".warmup"), ct);
            if (pool is not null)
            {
                pool.KeepUnspent();
                await pool.FillAsync(ct);
            }
        }

        Log.Info($"wrk {name}: {settings.Threads} threads, {settings.Connections} connections, {settings.Duration}" +
            (pool is null ? "" : $", {pool.Size} refresh tokens"));
        var processes = scenario.Target.Processes;
        // Allocations only for Latchkey's .NET services; the peer is a Node process.
        var allocations = settings.CountersTool is { } tool && scenario.Target.Name == "latchkey"
            ? processes.Select(p => AllocationCounter.BytesPerSecondAsync(
                tool, p.Pid, settings.DurationSeconds, Path.Combine(outputDirectory, $"{name}.{p.Label}.counters.csv"), ct)).ToList()
            : [];
        var traces = settings.TraceTool is { } tracer && scenario.Target.Name == "latchkey"
            ? processes.Select(p => CpuTrace.CollectAsync(
                tracer, p.Pid, settings.DurationSeconds, Path.Combine(outputDirectory, $"{name}.{p.Label}.nettrace"), ct)).ToList()
            : [];
        var before = processes.Select(p => p.CpuTime()).ToList();
        var output = await wrk.RunAsync(scenario, settings.Duration, OutputFile(name), ct);
        var after = processes.Select(p => p.CpuTime()).ToList();
        var bytesPerSecond = await Task.WhenAll(allocations);
        await Task.WhenAll(traces);
        // refresh.lua's own tally (sent, rotated, failed, starved) says whether the pool held out.
        foreach (var line in output.Split('\n').Where(l => l.StartsWith("refresh: ", StringComparison.Ordinal)))
            Log.Info(line.TrimEnd());
        var result = WrkResult.Parse(output);
        var cpu = processes.Select((p, i) => (p.Label, Micros: ScenarioResult.PerRequest(before[i], after[i], result.Requests)))
            .ToDictionary(x => x.Label, x => x.Micros, StringComparer.Ordinal);
        var bytes = processes.Select((p, i) => (p.Label, Bytes: i < bytesPerSecond.Length && bytesPerSecond[i] is { } b && result.Rate is > 0 ? b / result.Rate : null))
            .ToDictionary(x => x.Label, x => x.Bytes, StringComparer.Ordinal);
        return new ScenarioResult(result, cpu) { BytesPerRequest = bytes };
    }

    string OutputFile(string name) => Path.Combine(outputDirectory, name + ".txt");
}
