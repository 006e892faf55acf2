using JasperFx;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Xunit;

namespace Latchkey.OAuth2.Tests.Clients;

/// <summary>Project B can neither read, change nor delete project A's clients; A can.</summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class ClientStoreIsolationTests(OAuth2StorageFixture fixture) : IAsyncLifetime
{
    const string ClientId = "web-app";
    const string RedirectUri = "https://a.example/callback";
    const string LogoutUri = "https://a.example/bye";

    readonly ProjectInfo _projectA = TestProjectContext.NewProject();
    readonly ProjectInfo _projectB = TestProjectContext.NewProject();
    AsyncServiceScope _scopeA;
    AsyncServiceScope _scopeB;

    ClientStore A => _scopeA.ServiceProvider.GetRequiredService<ClientStore>();
    ClientStore B => _scopeB.ServiceProvider.GetRequiredService<ClientStore>();

    public async Task InitializeAsync()
    {
        _scopeA = fixture.ScopeFor(_projectA);
        _scopeB = fixture.ScopeFor(_projectB);
        await A.CreateAsync(NewClient(ClientId, "A's app"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _scopeA.DisposeAsync();
        await _scopeB.DisposeAsync();
    }

    [Fact]
    public async Task FindAsync_ClientOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindAsync(ClientId, CancellationToken.None));

    [Fact]
    public async Task FindAsync_OwnClient_ReturnsIt() =>
        Assert.Equal("A's app", (await A.FindAsync(ClientId, CancellationToken.None))?.ClientName);

    [Fact]
    public async Task FindByClientIdAsync_ClientOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindByClientIdAsync(ClientId, CancellationToken.None));

    [Fact]
    public async Task FindByClientIdAsync_OwnClient_ReturnsIt() =>
        Assert.Equal(ClientId, (await A.FindByClientIdAsync(ClientId, CancellationToken.None))?.Id);

    [Fact]
    public async Task FindByIdAsync_ClientOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindByIdAsync(ClientId, CancellationToken.None));

    [Fact]
    public async Task FindByIdAsync_OwnClient_ReturnsIt() =>
        Assert.Equal(ClientId, (await A.FindByIdAsync(ClientId, CancellationToken.None))?.Id);

    [Fact]
    public async Task ListAsync_ClientsOfOtherProject_ReturnsNone()
    {
        var page = await B.ListAsync(10, 0, null, null, CancellationToken.None);
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task ListAsync_OwnClients_ReturnsThem()
    {
        var page = await A.ListAsync(10, 0, null, null, CancellationToken.None);
        Assert.Equal(ClientId, Assert.Single(page.Items).Id);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public async Task ListAsync_ByNameAndOwnerOfOtherProjectsClient_ReturnsNone()
    {
        var page = await B.ListAsync(10, 0, "A's app", "owner-a", CancellationToken.None);
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Fact]
    public async Task ListAsync_CountAndOffsetInOtherProject_ReturnsNone() =>
        Assert.Empty(await B.ListAsync(10, 0, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_CountAndOffsetInOwnProject_ReturnsOwn() =>
        Assert.Equal(ClientId, Assert.Single(await A.ListAsync(10, 0, CancellationToken.None).ToListAsync()).Id);

    [Fact]
    public async Task ListAsync_QueryInOtherProject_ReturnsNone() =>
        Assert.Empty(await B.ListAsync((clients, id) => clients.Where(c => c.Id == id), ClientId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_QueryInOwnProject_ReturnsOwn() =>
        Assert.Single(await A.ListAsync((clients, id) => clients.Where(c => c.Id == id), ClientId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task GetAsync_QueryForClientOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.GetAsync((clients, id) => clients.Where(c => c.Id == id), ClientId, CancellationToken.None));

    [Fact]
    public async Task GetAsync_QueryForOwnClient_ReturnsIt() =>
        Assert.NotNull(await A.GetAsync((clients, id) => clients.Where(c => c.Id == id), ClientId, CancellationToken.None));

    [Fact]
    public async Task CountAsync_ClientsOfOtherProject_ReturnsZero() =>
        Assert.Equal(0, await B.CountAsync(CancellationToken.None));

    [Fact]
    public async Task CountAsync_OwnClients_CountsThem() =>
        Assert.Equal(1, await A.CountAsync(CancellationToken.None));

    [Fact]
    public async Task CountAsync_QueryInOtherProject_ReturnsZero() =>
        Assert.Equal(0, await B.CountAsync(clients => clients.Where(c => c.Id == ClientId), CancellationToken.None));

    [Fact]
    public async Task CountAsync_QueryInOwnProject_CountsOwn() =>
        Assert.Equal(1, await A.CountAsync(clients => clients.Where(c => c.Id == ClientId), CancellationToken.None));

    [Fact]
    public async Task FindByRedirectUriAsync_UriOfOtherProjectsClient_ReturnsNone() =>
        Assert.Empty(await B.FindByRedirectUriAsync(RedirectUri, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByRedirectUriAsync_UriOfOwnClient_ReturnsIt() =>
        Assert.Equal(ClientId, Assert.Single(await A.FindByRedirectUriAsync(RedirectUri, CancellationToken.None).ToListAsync()).Id);

    [Fact]
    public async Task FindByPostLogoutRedirectUriAsync_UriOfOtherProjectsClient_ReturnsNone() =>
        Assert.Empty(await B.FindByPostLogoutRedirectUriAsync(LogoutUri, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByPostLogoutRedirectUriAsync_UriOfOwnClient_ReturnsIt() =>
        Assert.Equal(ClientId, Assert.Single(await A.FindByPostLogoutRedirectUriAsync(LogoutUri, CancellationToken.None).ToListAsync()).Id);

    [Fact]
    public async Task UpdateAsync_ClientOfOtherProject_ThrowsAndLeavesItUnchanged()
    {
        var client = (await A.FindAsync(ClientId, CancellationToken.None))!;
        client.ClientName = "taken over";

        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => B.UpdateAsync(client, CancellationToken.None).AsTask());

        Assert.Equal("A's app", (await A.FindAsync(ClientId, CancellationToken.None))?.ClientName);
        Assert.Null(await B.FindAsync(ClientId, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateAsync_OwnClient_SavesIt()
    {
        var client = (await A.FindAsync(ClientId, CancellationToken.None))!;
        client.ClientName = "renamed";

        await A.UpdateAsync(client, CancellationToken.None);

        Assert.Equal("renamed", (await A.FindAsync(ClientId, CancellationToken.None))?.ClientName);
    }

    [Fact]
    public async Task DeleteAsync_ClientIdOfOtherProject_ReturnsFalseAndKeepsIt()
    {
        Assert.False(await B.DeleteAsync(ClientId, CancellationToken.None));
        Assert.NotNull(await A.FindAsync(ClientId, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_ClientOfOtherProject_KeepsIt()
    {
        var client = (await A.FindAsync(ClientId, CancellationToken.None))!;

        await B.DeleteAsync(client, CancellationToken.None);

        Assert.NotNull(await A.FindAsync(ClientId, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_OwnClient_DeletesItAndItsTokensButNotOtherProjectsNamesake()
    {
        await B.CreateAsync(NewClient(ClientId, "B's app"), CancellationToken.None);
        var tokensA = _scopeA.ServiceProvider.GetRequiredService<TokenStore>();
        var tokensB = _scopeB.ServiceProvider.GetRequiredService<TokenStore>();
        await tokensA.InsertAsync(new TokenEntry { ApplicationId = ClientId, Signature = "sig-a", Status = "valid" }, CancellationToken.None);
        await tokensB.InsertAsync(new TokenEntry { ApplicationId = ClientId, Signature = "sig-b", Status = "valid" }, CancellationToken.None);

        Assert.True(await A.DeleteAsync(ClientId, CancellationToken.None));

        Assert.Null(await A.FindAsync(ClientId, CancellationToken.None));
        Assert.Null(await tokensA.FindBySignatureAsync("sig-a", CancellationToken.None));
        Assert.Equal("B's app", (await B.FindAsync(ClientId, CancellationToken.None))?.ClientName);
        Assert.NotNull(await tokensB.FindBySignatureAsync("sig-b", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_OwnClient_DeletesItsAuthorizationsButNotOtherProjects()
    {
        await B.CreateAsync(NewClient(ClientId, "B's app"), CancellationToken.None);
        var authorizationsA = _scopeA.ServiceProvider.GetRequiredService<AuthorizationStore>();
        var authorizationsB = _scopeB.ServiceProvider.GetRequiredService<AuthorizationStore>();
        var inA = new AuthorizationEntry { ApplicationId = ClientId, Status = "valid" };
        var inB = new AuthorizationEntry { ApplicationId = ClientId, Status = "valid" };
        await authorizationsA.CreateAsync(inA, CancellationToken.None);
        await authorizationsB.CreateAsync(inB, CancellationToken.None);

        Assert.True(await A.DeleteAsync(ClientId, CancellationToken.None));

        Assert.Null(await authorizationsA.FindByIdAsync(inA.Id.ToString(), CancellationToken.None));
        Assert.NotNull(await authorizationsB.FindByIdAsync(inB.Id.ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_ClientIdUsedInOtherProject_BothExistIndependently()
    {
        await B.CreateAsync(NewClient(ClientId, "B's app"), CancellationToken.None);

        Assert.Equal("A's app", (await A.FindAsync(ClientId, CancellationToken.None))?.ClientName);
        Assert.Equal("B's app", (await B.FindAsync(ClientId, CancellationToken.None))?.ClientName);

        var client = (await B.FindAsync(ClientId, CancellationToken.None))!;
        client.ClientName = "B's renamed app";
        await B.UpdateAsync(client, CancellationToken.None);
        Assert.Equal("A's app", (await A.FindAsync(ClientId, CancellationToken.None))?.ClientName);
    }

    [Fact]
    public async Task CreateAsync_ClientIdUsedInSameProject_Throws() =>
        await Assert.ThrowsAsync<DocumentAlreadyExistsException>(() => A.CreateAsync(NewClient(ClientId, "again"), CancellationToken.None).AsTask());

    static StoredClient NewClient(string id, string name) => new()
    {
        Id = id,
        ClientName = name,
        Owner = "owner-a",
        GrantTypes = ["authorization_code", "refresh_token"],
        ResponseTypes = ["code"],
        RedirectUris = [RedirectUri],
        PostLogoutRedirectUris = [LogoutUri],
        Scope = "openid offline_access",
    };
}
