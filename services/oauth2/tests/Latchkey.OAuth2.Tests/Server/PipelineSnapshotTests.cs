using System.Runtime.CompilerServices;
using Latchkey.OAuth2.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Server;
using Xunit;

namespace Latchkey.OAuth2.Tests.Server;

/// <summary>
/// Pins the resolved OpenIddict handler order, built-ins and ours, per event, so a change to the pipeline
/// (ours, or OpenIddict's after an upgrade) is a reviewed diff of <c>pipeline.snapshot.txt</c>.
/// Regenerate with <c>LATCHKEY_UPDATE_SNAPSHOTS=1 dotnet test --filter PipelineSnapshot</c>.
/// </summary>
public sealed class PipelineSnapshotTests
{
    [Fact]
    public async Task Handlers_AsConfigured_MatchSnapshot()
    {
        await using var app = OAuth2App.Build(
        [
            "--LATCHKEY_DATABASE_URL=Host=127.0.0.1;Database=never_opened",
            "--LATCHKEY_SECRETS_SYSTEM=snapshot-secret-0123456789abcdef",
            $"--LATCHKEY_STATE_DIR={Path.GetTempPath()}",
        ]);
        // Outside a request the options are the template, which carries every project's handlers too.
        var options = app.Services.GetRequiredService<ProjectServerOptions>().CurrentValue;

        var actual = PipelineSnapshot.Render(options.Handlers);
        var path = SnapshotPath();
        if (Environment.GetEnvironmentVariable("LATCHKEY_UPDATE_SNAPSHOTS") == "1")
            await File.WriteAllTextAsync(path, actual);

        var expected = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        Assert.True(expected == actual,
            $"The OpenIddict pipeline changed. Review the diff, then regenerate {path} with LATCHKEY_UPDATE_SNAPSHOTS=1.\n"
            + PipelineSnapshot.Diff(expected, actual));
    }

    static string SnapshotPath([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "pipeline.snapshot.txt");
}
