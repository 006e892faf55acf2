using System.Collections.Immutable;
using System.Text.Json;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Authorizations;

[Collection(OAuth2StorageCollection.Name)]
public sealed class AuthorizationStoreTests(OAuth2StorageFixture fixture) : IAsyncLifetime
{
    readonly ProjectInfo _project = TestProjectContext.NewProject();
    AsyncServiceScope _scope;

    AuthorizationStore Store => _scope.ServiceProvider.GetRequiredService<AuthorizationStore>();
    TokenStore Tokens => _scope.ServiceProvider.GetRequiredService<TokenStore>();

    public Task InitializeAsync()
    {
        _scope = fixture.ScopeFor(_project);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public void UseLatchkeyStores_OpenIddictAuthorizationStore_IsAuthorizationStore() =>
        Assert.IsType<AuthorizationStore>(_scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationStore<AuthorizationEntry>>());

    [Fact]
    public async Task UpdateAsync_StaleEntry_ThrowsOpenIddictConcurrencyException()
    {
        var entry = NewEntry();
        await Store.CreateAsync(entry, CancellationToken.None);
        var first = (await Store.FindByIdAsync(entry.Id.ToString(), CancellationToken.None))!;
        var second = (await Store.FindByIdAsync(entry.Id.ToString(), CancellationToken.None))!;
        first.Scopes.Add("email");
        await Store.UpdateAsync(first, CancellationToken.None);

        second.Status = Statuses.Revoked;
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(second, CancellationToken.None).AsTask());
        Assert.Equal(Statuses.Valid, (await Store.FindByIdAsync(entry.Id.ToString(), CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task UpdateAsync_EntryRevokedSinceRead_ThrowsAndStaysRevoked()
    {
        var entry = NewEntry();
        await Store.CreateAsync(entry, CancellationToken.None);
        var read = (await Store.FindByIdAsync(entry.Id.ToString(), CancellationToken.None))!;
        await Store.RevokeBySubjectAsync("alice", CancellationToken.None);

        read.Scopes.Add("email");
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(read, CancellationToken.None).AsTask());
        Assert.Equal(Statuses.Revoked, (await Store.FindByIdAsync(entry.Id.ToString(), CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task UpdateAsync_DeletedEntry_ThrowsOpenIddictConcurrencyException()
    {
        var entry = NewEntry();
        await Store.CreateAsync(entry, CancellationToken.None);
        await Store.DeleteAsync(entry, CancellationToken.None);

        entry.Status = Statuses.Revoked;
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(entry, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task TryRevokeAsync_SameEntryReadByTwoRequests_OnlyFirstRevokes()
    {
        var entry = NewEntry();
        await Store.CreateAsync(entry, CancellationToken.None);
        await using var other = fixture.ScopeFor(_project);
        var manager = _scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var otherManager = other.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var first = await manager.FindByIdAsync(entry.Id.ToString(), CancellationToken.None);
        var second = await otherManager.FindByIdAsync(entry.Id.ToString(), CancellationToken.None);

        Assert.True(await manager.TryRevokeAsync(first!, CancellationToken.None));
        Assert.False(await otherManager.TryRevokeAsync(second!, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_ThroughAuthorizationManager_StoresEntryThatCanBeUpdated()
    {
        var manager = _scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();

        var authorization = await manager.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = "web-app",
            Subject = "alice",
            Status = Statuses.Valid,
            Type = AuthorizationTypes.Permanent,
            CreationDate = DateTimeOffset.UtcNow,
            Scopes = { Scopes.OpenId, Scopes.Profile },
        }, CancellationToken.None);
        Assert.True(await manager.TryRevokeAsync(authorization, CancellationToken.None));

        var id = await manager.GetIdAsync(authorization, CancellationToken.None);
        var stored = await Store.FindByIdAsync(id!, CancellationToken.None);
        Assert.Equal(Statuses.Revoked, stored?.Status);
        Assert.Equal([Scopes.OpenId, Scopes.Profile], stored!.Scopes.Order());
    }

    [Fact]
    public async Task FindAsync_Scopes_ReturnsOnlyEntriesHoldingAllOfThem()
    {
        var narrow = NewEntry(scopes: [Scopes.OpenId]);
        var wide = NewEntry(scopes: [Scopes.OpenId, Scopes.Email, Scopes.Profile]);
        await Store.CreateAsync(narrow, CancellationToken.None);
        await Store.CreateAsync(wide, CancellationToken.None);

        var found = await Store.FindAsync("alice", "web-app", Statuses.Valid, AuthorizationTypes.Permanent, [Scopes.Email, Scopes.OpenId], CancellationToken.None).ToListAsync();
        var all = await Store.FindAsync("alice", "web-app", null, null, [], CancellationToken.None).ToListAsync();

        Assert.Equal(wide.Id, Assert.Single(found).Id);
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task FindAsync_OtherSubjectOrClient_ReturnsNone()
    {
        await Store.CreateAsync(NewEntry(), CancellationToken.None);

        Assert.Empty(await Store.FindAsync("bob", "web-app", null, null, null, CancellationToken.None).ToListAsync());
        Assert.Empty(await Store.FindAsync("alice", "other-app", null, null, null, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task PruneAsync_MixedEntries_DeletesOnlyDeadOnesCreatedBeforeThreshold()
    {
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-2);
        var permanent = await CreateAsync(Statuses.Valid, AuthorizationTypes.Permanent, old);
        var revoked = await CreateAsync(Statuses.Revoked, AuthorizationTypes.Permanent, old);
        var adHocWithoutTokens = await CreateAsync(Statuses.Valid, AuthorizationTypes.AdHoc, old);
        var adHocWithValidToken = await CreateAsync(Statuses.Valid, AuthorizationTypes.AdHoc, old);
        var adHocWithRedeemedToken = await CreateAsync(Statuses.Valid, AuthorizationTypes.AdHoc, old);
        var revokedNew = await CreateAsync(Statuses.Revoked, AuthorizationTypes.Permanent, now);
        await Tokens.InsertAsync(NewToken("valid", adHocWithValidToken, Statuses.Valid), CancellationToken.None);
        await Tokens.InsertAsync(NewToken("redeemed", adHocWithRedeemedToken, Statuses.Redeemed), CancellationToken.None);

        var pruned = await Store.PruneAsync(now.AddDays(-1), CancellationToken.None);

        Assert.Equal(3, pruned);
        var left = await Store.ListAsync(null, null, CancellationToken.None).Select(a => a.Id).ToListAsync();
        Assert.Equal(new[] { permanent, adHocWithValidToken, revokedNew }.Order(), left.Order());
        Assert.DoesNotContain(revoked, left);
        Assert.DoesNotContain(adHocWithoutTokens, left);
        Assert.DoesNotContain(adHocWithRedeemedToken, left);
    }

    [Fact]
    public async Task RevokeByApplicationIdAsync_SomeAlreadyRevoked_CountsOnlyNewlyRevoked()
    {
        await Store.CreateAsync(NewEntry(), CancellationToken.None);
        await Store.CreateAsync(NewEntry(status: Statuses.Revoked), CancellationToken.None);
        await Store.CreateAsync(NewEntry(), CancellationToken.None);

        Assert.Equal(2, await Store.RevokeByApplicationIdAsync("web-app", CancellationToken.None));
        Assert.Equal(0, await Store.RevokeByApplicationIdAsync("web-app", CancellationToken.None));
    }

    [Fact]
    public async Task RevokeAsync_ByType_RevokesOnlyThatType()
    {
        await CreateAsync(Statuses.Valid, AuthorizationTypes.Permanent, DateTimeOffset.UtcNow);
        await CreateAsync(Statuses.Valid, AuthorizationTypes.AdHoc, DateTimeOffset.UtcNow);

        Assert.Equal(1, await Store.RevokeAsync("alice", null, null, AuthorizationTypes.AdHoc, CancellationToken.None));

        var valid = await Store.FindAsync(null, null, Statuses.Valid, null, null, CancellationToken.None).ToListAsync();
        Assert.Equal(AuthorizationTypes.Permanent, Assert.Single(valid).Type);
    }

    [Fact]
    public async Task GetPropertiesAsync_AfterSetPropertiesAndSave_ReturnsThem()
    {
        var entry = NewEntry();
        using var document = JsonDocument.Parse("""{"n":1,"s":"x"}""");
        var properties = ImmutableDictionary<string, JsonElement>.Empty
            .Add("number", document.RootElement.GetProperty("n"))
            .Add("text", document.RootElement.GetProperty("s"));
        await Store.SetPropertiesAsync(entry, properties, CancellationToken.None);
        await Store.CreateAsync(entry, CancellationToken.None);

        var stored = await Store.GetPropertiesAsync((await Store.FindByIdAsync(entry.Id.ToString(), CancellationToken.None))!, CancellationToken.None);

        Assert.Equal(1, stored["number"].GetInt32());
        Assert.Equal("x", stored["text"].GetString());
    }

    [Fact]
    public async Task FindByIdAsync_NotAGuid_ReturnsNull() =>
        Assert.Null(await Store.FindByIdAsync("not-a-guid", CancellationToken.None));

    async Task<Guid> CreateAsync(string status, string type, DateTimeOffset created)
    {
        var entry = NewEntry(status, type, created);
        await Store.CreateAsync(entry, CancellationToken.None);
        return entry.Id;
    }

    static AuthorizationEntry NewEntry(
        string status = Statuses.Valid, string type = AuthorizationTypes.Permanent, DateTimeOffset? created = null, List<string>? scopes = null) => new()
        {
            ApplicationId = "web-app",
            Subject = "alice",
            Status = status,
            Type = type,
            Scopes = scopes ?? [Scopes.OpenId],
            CreationDate = created ?? DateTimeOffset.UtcNow,
        };

    static TokenEntry NewToken(string signature, Guid authorizationId, string status) => new()
    {
        ApplicationId = "web-app",
        AuthorizationId = authorizationId.ToString(),
        Subject = "alice",
        Type = TokenTypeHints.RefreshToken,
        Status = status,
        CreationDate = DateTimeOffset.UtcNow,
        ExpirationDate = DateTimeOffset.UtcNow.AddHours(1),
        Signature = signature,
    };
}
