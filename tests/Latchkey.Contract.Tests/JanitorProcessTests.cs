using System.Net;
using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary><c>dotnet Latchkey.OAuth2.dll janitor</c>, the real entry point as the chart's CronJob runs it, on a project deleted through the API.</summary>
[Collection(PlatformCollection.Name)]
public sealed class JanitorProcessTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task Janitor_ProjectDeletedThroughTheApi_PurgesItsClientsAndTokens_KeepsTheOthers()
    {
        var gone = await _api.CreateProjectAsync("gone");
        var kept = await _api.CreateProjectAsync("kept");
        var keptClient = await _api.CreateClientAsync(kept);
        await _api.IssueAndIntrospectAsync(gone, await _api.CreateClientAsync(gone));
        await _api.IssueAndIntrospectAsync(kept, keptClient);
        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, platform.Api($"/projects/{gone.Id}"), platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted);

        var run = await MigrateProcess.RunCommandAsync(MigratedPlatformFixture.OAuth2, "janitor", "--projects", $"--LATCHKEY_DATABASE_URL={platform.DatabaseUrl}");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"deleted projects \(oauth2\.mt_doc_tokenentry\): [1-9][0-9]* deleted", run.Output);
        Assert.Equal((0L, 0L), (await RowsAsync("mt_doc_tokenentry", gone), await RowsAsync("mt_doc_oauth2client", gone)));
        Assert.Equal((1L, 1L), (await RowsAsync("mt_doc_tokenentry", kept), await RowsAsync("mt_doc_oauth2client", kept)));
        Assert.True((await _api.IssueAndIntrospectAsync(kept, keptClient))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Janitor_BadFlag_ExitsTwoBeforeTouchingTheDatabase()
    {
        var run = await MigrateProcess.RunCommandAsync(MigratedPlatformFixture.OAuth2, "janitor", "--batch-size", "lots");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("janitor: --batch-size: 'lots' is not a whole number from 1 to 100000", run.Error, StringComparison.Ordinal);
    }

    async Task<long> RowsAsync(string table, TestProject project)
    {
        await using var connection = new NpgsqlConnection(platform.DatabaseUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from oauth2.{table} where tenant_id = $1", connection);
        command.Parameters.AddWithValue(Guid.Parse(project.Id).ToString("N"));
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
