using Latchkey.OAuth2;
using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// <c>migrate</c> applies each service's whole schema and exits; services started with
/// <c>LATCHKEY_AUTO_MIGRATE=false</c> then work under a database role that has no DDL rights.
/// </summary>
public sealed class MigrationTests(MigratedPlatformFixture migrated) : IClassFixture<MigratedPlatformFixture>
{
    readonly Api _api = new(migrated.Platform);

    [Fact]
    public void Migrate_FreshDatabase_PrintsEveryCreatedObjectAndExitsZero()
    {
        var (oauth2, controlPlane) = (migrated.FirstRuns[0], migrated.FirstRuns[1]);

        Assert.True(oauth2.ExitCode == 0, oauth2.Error);
        Assert.Contains("create oauth2.mt_doc_tokenentry", oauth2.Output, StringComparison.Ordinal);
        Assert.Contains("create oauth2.hosted_login_failures", oauth2.Output, StringComparison.Ordinal);
        Assert.Contains("create latchkey.mt_doc_project", oauth2.Output, StringComparison.Ordinal);
        Assert.True(controlPlane.ExitCode == 0, controlPlane.Error);
        Assert.Contains("create latchkey.mt_doc_account", controlPlane.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MigratedPlatformFixture.OAuth2)]
    [InlineData(MigratedPlatformFixture.ControlPlane)]
    public async Task Migrate_AlreadyMigrated_AppliesNothing(string service)
    {
        var again = await MigrateProcess.RunAsync(service, migrated.Platform.DatabaseUrl);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("create ", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("update ", again.Output, StringComparison.Ordinal);
        Assert.Contains("schema latchkey: up to date", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_DatabaseUnreachable_ExitsOneAndNamesTheDatabase()
    {
        var closed = PlatformFixture.FreePort();

        var run = await MigrateProcess.RunAsync(MigratedPlatformFixture.OAuth2, $"Host=127.0.0.1;Port={closed};Username=latchkey;Database=nowhere");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"migrate: database nowhere at 127.0.0.1:{closed}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_RoleWithoutDdlRights_ExitsOneAndSaysWhatWasRefused()
    {
        var empty = new PostgresFixture();
        await empty.InitializeAsync();
        var appRole = new NpgsqlConnectionStringBuilder(migrated.AppDatabaseUrl) { Database = new NpgsqlConnectionStringBuilder(empty.ConnectionString).Database };

        var run = await MigrateProcess.RunAsync(MigratedPlatformFixture.ControlPlane, appRole.ConnectionString);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("42501: permission denied", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppRole_CreateTable_IsRefused()
    {
        await using var connection = new NpgsqlConnection(migrated.AppDatabaseUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("create table latchkey.probe (id int)", connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task Start_AutoMigrateOffOnEmptyDatabase_CreatesNoSchema()
    {
        var empty = new PostgresFixture();
        await empty.InitializeAsync();
        await using var oauth2 = OAuth2App.Build([
            $"--LATCHKEY_DATABASE_URL={empty.ConnectionString}",
            $"--LATCHKEY_REDIS_URL={migrated.Platform.RedisUrl}",
            "--LATCHKEY_AUTO_MIGRATE=false",
            "--LATCHKEY_SECRETS_SYSTEM=migration-test-secret-0123456789abcdef",
            $"--urls=http://127.0.0.1:{PlatformFixture.FreePort()}",
            "--Logging:LogLevel:Default=Warning",
        ]);

        // Start-up may stop at the first missing table (a hosted service reads one); what matters is that it
        // issued no DDL before or after.
        if (await Record.ExceptionAsync(() => oauth2.StartAsync()) is { } failed)
            Assert.Equal(PostgresErrorCodes.UndefinedTable, Assert.IsType<PostgresException>(failed).SqlState);
        else
            await oauth2.StopAsync();

        await using var connection = new NpgsqlConnection(empty.ConnectionString);
        await connection.OpenAsync();
        await using var schemas = new NpgsqlCommand("select count(*) from information_schema.schemata where schema_name in ('latchkey', 'oauth2')", connection);
        Assert.Equal(0L, await schemas.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Token_MigratedSchemaWithoutAutoMigrate_IssuesAndIntrospects()
    {
        var project = await _api.CreateProjectAsync("migrated");
        var client = await _api.CreateClientAsync(project);

        var introspection = await _api.IssueAndIntrospectAsync(project, client);
        Assert.True(introspection["active"]!.GetValue<bool>());
    }
}
