using Latchkey.ControlPlane;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Isolation;
using Latchkey.Storage;
using Latchkey.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary>
/// Each service's schema registry is all its database needs: applied to an empty database it creates every
/// table, and no store creates one lazily afterwards. A migrate command applies exactly these registries.
/// </summary>
public sealed class SchemaRegistryTests : IAsyncLifetime
{
    readonly PostgresFixture _empty = new();

    static readonly string[] OAuth2Tables =
    [
        "oauth2.assertion_jtis",
        "oauth2.client_auth_attempts",
        "oauth2.device_user_code_attempts",
        "oauth2.hosted_login_failures",
        "oauth2.mt_doc_authorizationentry",
        "oauth2.mt_doc_devicerequest",
        "oauth2.mt_doc_hosteduser",
        "oauth2.mt_doc_loginconsentflow",
        "oauth2.mt_doc_loginsession",
        "oauth2.mt_doc_logoutflow",
        "oauth2.mt_doc_oauth2client",
        "oauth2.mt_doc_storedkey",
        "oauth2.mt_doc_tokenentry",
        "oauth2.mt_doc_trustedissuer",
    ];

    static readonly string[] PlatformTables =
    [
        "latchkey.data_protection_keys",
        "latchkey.mt_doc_apikey",
        "latchkey.mt_doc_project",
        "latchkey.mt_doc_workspace",
        "latchkey.quota_months",
        "latchkey.usage_days",
        "latchkey.usage_flushes",
        "latchkey.usage_meta",
    ];

    static readonly string[] ControlPlaneTables = ["latchkey.console_sign_in_failures", "latchkey.mt_doc_account", "latchkey.mt_doc_accountsession"];

    [Fact]
    public async Task OAuth2Schema_AppliedToEmptyDatabase_CreatesEveryTable()
    {
        await ApplyAsync(_empty.ConnectionString, OAuth2Schema.Configure);

        Assert.Equal(OAuth2Tables, await TablesAsync(_empty.ConnectionString));
    }

    [Fact]
    public async Task PlatformSchema_WithControlPlanesAdditions_CreatesEveryTable()
    {
        await ApplyAsync(_empty.ConnectionString, options =>
        {
            StorageRegistration.ConfigurePlatformSchema(options);
            ControlPlaneSchema.Configure(options);
        });

        var tables = await TablesAsync(_empty.ConnectionString);

        Assert.Equal(ControlPlaneTables.Concat(PlatformTables).Order(StringComparer.Ordinal), tables);
    }

    [Fact]
    public async Task EveryStoreMethod_AfterStartup_CreatesNoTableLazily()
    {
        var fixture = new OAuth2StorageFixture();
        await fixture.InitializeAsync();
        try
        {
            var database = fixture.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString;
            var atStartup = await TablesAsync(database);
            Assert.Equal(OAuth2Tables.Concat(PlatformTables).Order(StringComparer.Ordinal), atStartup);

            foreach (var cases in StoreCases.All().Values)
            {
                foreach (var call in cases.Methods.Values)
                {
                    await using var owner = ProjectScope.Open(fixture.Services);
                    await cases.SeedAsync(owner);
                    await call(owner, owner);
                }
            }

            Assert.Equal(atStartup, await TablesAsync(database));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    public Task InitializeAsync() => _empty.InitializeAsync();

    public Task DisposeAsync() => _empty.DisposeAsync();

    static async Task ApplyAsync(string database, Action<StoreOptions> registry)
    {
        using var store = DocumentStore.For(options =>
        {
            options.Connection(database);
            registry(options);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    static async Task<string[]> TablesAsync(string database)
    {
        await using var source = NpgsqlDataSource.Create(database);
        await using var command = source.CreateCommand("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_schema in ('oauth2', 'latchkey') and table_type = 'BASE TABLE' order by 1
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return [.. tables];
    }
}
