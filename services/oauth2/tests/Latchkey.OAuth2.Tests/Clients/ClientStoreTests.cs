using System.Collections.Immutable;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Clients;

[Collection(OAuth2StorageCollection.Name)]
public sealed class ClientStoreTests(OAuth2StorageFixture fixture) : IAsyncLifetime
{
    readonly ProjectInfo _project = TestProjectContext.NewProject();
    AsyncServiceScope _scope;

    ClientStore Store => _scope.ServiceProvider.GetRequiredService<ClientStore>();

    public Task InitializeAsync()
    {
        _scope = fixture.ScopeFor(_project);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task GetPermissionsAsync_HydraClient_GrantsEveryEndpointAndItsGrantsResponseTypesScopesAndAudiences()
    {
        var client = new StoredClient
        {
            GrantTypes = ["client_credentials", "refresh_token"],
            ResponseTypes = ["code", "code id_token"],
            Scope = "openid orders.read",
            Audience = ["https://api.example"],
        };

        var permissions = await Store.GetPermissionsAsync(client, CancellationToken.None);

        Assert.Contains(Permissions.Endpoints.Token, permissions);
        Assert.Contains(Permissions.Endpoints.Authorization, permissions);
        Assert.Contains(Permissions.Endpoints.Revocation, permissions);
        Assert.Contains(Permissions.Endpoints.EndSession, permissions);
        Assert.Contains(Permissions.GrantTypes.ClientCredentials, permissions);
        Assert.Contains(Permissions.GrantTypes.RefreshToken, permissions);
        Assert.DoesNotContain(Permissions.GrantTypes.AuthorizationCode, permissions);
        Assert.Contains(Permissions.ResponseTypes.Code, permissions);
        Assert.Contains(Permissions.ResponseTypes.CodeIdToken, permissions);
        Assert.Contains("scp:openid", permissions);
        Assert.Contains("scp:orders.read", permissions);
        Assert.Contains("aud:https://api.example", permissions);
    }

    [Fact]
    public async Task SetPermissionsAsync_OpenIddictPermissions_MapBackToHydraFields()
    {
        var client = new StoredClient();

        await Store.SetPermissionsAsync(client,
            [Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.ResponseTypes.Code, "scp:a", "scp:b", "aud:x"],
            CancellationToken.None);

        Assert.Equal(["client_credentials"], client.GrantTypes);
        Assert.Equal(["code"], client.ResponseTypes);
        Assert.Equal("a b", client.Scope);
        Assert.Equal(["x"], client.Audience);
    }

    [Theory]
    [InlineData("none", ClientTypes.Public)]
    [InlineData("client_secret_basic", ClientTypes.Confidential)]
    [InlineData("client_secret_post", ClientTypes.Confidential)]
    public async Task GetClientTypeAsync_TokenEndpointAuthMethod_MapsToClientType(string method, string expected) =>
        Assert.Equal(expected, await Store.GetClientTypeAsync(new StoredClient { TokenEndpointAuthMethod = method }, CancellationToken.None));

    [Theory]
    [InlineData(true, ConsentTypes.Implicit)]
    [InlineData(false, ConsentTypes.Explicit)]
    public async Task GetConsentTypeAsync_SkipConsent_MapsToConsentType(bool skip, string expected) =>
        Assert.Equal(expected, await Store.GetConsentTypeAsync(new StoredClient { SkipConsent = skip }, CancellationToken.None));

    [Fact]
    public async Task SetSettingsAsync_NonEmpty_ThrowsNotSupported() =>
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            Store.SetSettingsAsync(new StoredClient(), ImmutableDictionary<string, string>.Empty.Add("k", "v"), CancellationToken.None).AsTask());

    [Fact]
    public async Task UpdateAsync_StaleClient_ThrowsConcurrencyException()
    {
        await Store.CreateAsync(new StoredClient { Id = "c1", ClientName = "first" }, CancellationToken.None);
        var first = (await Store.FindForUpdateAsync("c1", CancellationToken.None))!;
        var second = (await Store.FindForUpdateAsync("c1", CancellationToken.None))!;
        first.ClientName = "one";
        await Store.UpdateAsync(first, CancellationToken.None);

        second.ClientName = "two";
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(second, CancellationToken.None).AsTask());
        Assert.Equal("one", (await Store.FindAsync("c1", CancellationToken.None))?.ClientName);
    }

    [Fact]
    public async Task FindAsync_RepeatedInOneRequest_IsOneLookup()
    {
        await Store.CreateAsync(new StoredClient { Id = "c1", ClientName = "stored" }, CancellationToken.None);
        var first = await Store.FindAsync("c1", CancellationToken.None);

        Assert.Same(first, await Store.FindAsync("c1", CancellationToken.None));
        Assert.Same(first, await Store.FindByClientIdAsync("c1", CancellationToken.None));
    }

    [Fact]
    public async Task FindForUpdateAsync_CallerChangesResult_NextCallerGetsStoredClient()
    {
        await Store.CreateAsync(new StoredClient { Id = "c1", ClientName = "stored" }, CancellationToken.None);
        var found = (await Store.FindForUpdateAsync("c1", CancellationToken.None))!;

        found.ClientName = "changed but not saved";
        found.RedirectUris.Add("https://evil.example");

        var again = (await Store.FindAsync("c1", CancellationToken.None))!;
        Assert.Equal("stored", again.ClientName);
        Assert.Empty(again.RedirectUris);
    }

    [Fact]
    public async Task FindAsync_MissThenCreate_ReturnsCreatedClient()
    {
        Assert.Null(await Store.FindAsync("late", CancellationToken.None));

        await Store.CreateAsync(new StoredClient { Id = "late" }, CancellationToken.None);

        Assert.NotNull(await Store.FindAsync("late", CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_SeveralPages_ReturnsClientsByCreationWithTotal()
    {
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateAsync(new StoredClient { Id = $"c{i}", ClientName = i % 2 == 0 ? "even" : "odd", Owner = "o", CreatedAt = start.AddSeconds(i) }, CancellationToken.None);
        }

        var first = await Store.ListAsync(2, 0, null, null, CancellationToken.None);
        var last = await Store.ListAsync(2, 2, null, null, CancellationToken.None);
        var even = await Store.ListAsync(10, 0, "even", "o", CancellationToken.None);
        var otherOwner = await Store.ListAsync(10, 0, "even", "someone else", CancellationToken.None);

        Assert.Equal(["c0", "c1"], first.Items.Select(c => c.Id));
        Assert.Equal(5, first.Total);
        Assert.Equal(["c4"], last.Items.Select(c => c.Id));
        Assert.Equal(["c0", "c2", "c4"], even.Items.Select(c => c.Id));
        Assert.Equal(3, even.Total);
        Assert.Empty(otherOwner.Items);
    }

    [Fact]
    public async Task ApplicationManager_UseLatchkeyStores_FindsClientThroughClientStore()
    {
        await Store.CreateAsync(new StoredClient { Id = "via-manager", TokenEndpointAuthMethod = "none", GrantTypes = ["client_credentials"] }, CancellationToken.None);
        var manager = _scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();

        var client = await manager.FindByClientIdAsync("via-manager", CancellationToken.None);

        Assert.IsType<StoredClient>(client);
        Assert.True(await manager.HasClientTypeAsync(client, ClientTypes.Public, CancellationToken.None));
        Assert.True(await manager.HasPermissionAsync(client, Permissions.GrantTypes.ClientCredentials, CancellationToken.None));
    }
}
