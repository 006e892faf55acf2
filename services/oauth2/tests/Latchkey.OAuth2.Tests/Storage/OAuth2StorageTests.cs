using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tokens;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;
using Xunit;

namespace Latchkey.OAuth2.Tests.Storage;

[Collection(OAuth2StorageCollection.Name)]
public sealed class OAuth2StorageTests(OAuth2StorageFixture fixture)
{
    [Fact]
    public async Task QuerySession_WithoutProject_IsRefused()
    {
        var store = fixture.Services.GetRequiredService<IOAuth2Store>();

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var session = store.QuerySession();
            await session.Query<StoredClient>().CountAsync();
        });
    }

    [Fact]
    public async Task Startup_AppliesSchema_TokenTablesAreTenantedWithPerTenantSignatureIndex()
    {
        await using var command = fixture.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("""
            select indexdef from pg_indexes where schemaname = 'oauth2' and indexname = 'mt_doc_tokenentry_uidx_signature'
            """);

        var definition = (string?)await command.ExecuteScalarAsync();

        Assert.NotNull(definition);
        Assert.Contains("UNIQUE", definition, StringComparison.Ordinal);
        Assert.Contains("tenant_id", definition, StringComparison.Ordinal);
    }

    [Fact]
    public void UseLatchkeyStores_OpenIddictStores_AreClientStoreAndTokenStore()
    {
        using var scope = fixture.ScopeFor(TestProjectContext.NewProject());

        Assert.IsType<ClientStore>(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationStore<StoredClient>>());
        Assert.IsType<TokenStore>(scope.ServiceProvider.GetRequiredService<IOpenIddictTokenStore<TokenEntry>>());
    }
}
