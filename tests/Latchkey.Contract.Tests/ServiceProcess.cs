using System.Collections.Concurrent;
using System.Diagnostics;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A service run by its real entry point, <c>dotnet Latchkey.&lt;Service&gt;.dll</c>, as an OS process of its own on
/// <paramref name="port"/>: started (and started again) with the same arguments, killed as <c>kill -9</c> does.
/// Disposing kills whatever still runs.
/// </summary>
public sealed class ServiceProcess(string assembly, int port, IReadOnlyList<string> args) : IAsyncDisposable
{
    readonly ConcurrentQueue<string> _output = new();
    Process? _process;

    /// <summary>Starts the process and returns once <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync()
    {
        if (_process is not null) throw new InvalidOperationException($"{assembly} is already running.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{assembly} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
                if (ready.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening, not answering yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{assembly} was not ready within a minute:\n{Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process ends at once, without running any of its shutdown code.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{assembly} is not running.");
        _process = null;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>The last lines the process (or the one before it) wrote, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await KillAsync();
    }
}
