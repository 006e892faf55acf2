using System.Diagnostics;

namespace Latchkey.Contract.Tests;

/// <summary>One run of <c>dotnet Latchkey.&lt;Service&gt;.dll migrate</c>: the real entry point, as the chart's Job runs it.</summary>
public sealed record MigrateProcess(int ExitCode, string Output, string Error)
{
    public static async Task<MigrateProcess> RunAsync(string assembly, string databaseUrl)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        start.ArgumentList.Add("migrate");
        start.ArgumentList.Add($"--LATCHKEY_DATABASE_URL={databaseUrl}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new MigrateProcess(process.ExitCode, await output, await error);
    }
}
