using System.Diagnostics;

namespace Latchkey.Contract.Tests;

/// <summary>One run of <c>dotnet Latchkey.&lt;Service&gt;.dll migrate</c>: the real entry point, as the chart's Job runs it.</summary>
public sealed record MigrateProcess(int ExitCode, string Output, string Error)
{
    public static Task<MigrateProcess> RunAsync(string assembly, string databaseUrl) =>
        RunCommandAsync(assembly, "migrate", $"--LATCHKEY_DATABASE_URL={databaseUrl}");

    /// <summary>Any command of a service's entry point (<c>migrate</c>, <c>janitor</c>), with its arguments.</summary>
    public static async Task<MigrateProcess> RunCommandAsync(string assembly, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new MigrateProcess(process.ExitCode, await output, await error);
    }
}
