using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Authorizations;

/// <summary>Project B can neither read, change, revoke, prune nor delete project A's authorizations; A can.</summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class AuthorizationStoreIsolationTests(OAuth2StorageFixture fixture) : IAsyncLifetime
{
    const string ApplicationId = "web-app";
    const string Subject = "alice";

    readonly ProjectInfo _projectA = TestProjectContext.NewProject();
    readonly ProjectInfo _projectB = TestProjectContext.NewProject();
    AsyncServiceScope _scopeA;
    AsyncServiceScope _scopeB;
    AuthorizationEntry _entry = null!;

    AuthorizationStore A => _scopeA.ServiceProvider.GetRequiredService<AuthorizationStore>();
    AuthorizationStore B => _scopeB.ServiceProvider.GetRequiredService<AuthorizationStore>();
    TokenStore TokensOfA => _scopeA.ServiceProvider.GetRequiredService<TokenStore>();
    TokenStore TokensOfB => _scopeB.ServiceProvider.GetRequiredService<TokenStore>();
    string Id => _entry.Id.ToString();

    public async Task InitializeAsync()
    {
        _scopeA = fixture.ScopeFor(_projectA);
        _scopeB = fixture.ScopeFor(_projectB);
        _entry = NewEntry(Statuses.Valid, DateTimeOffset.UtcNow.AddDays(-2));
        await A.CreateAsync(_entry, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _scopeA.DisposeAsync();
        await _scopeB.DisposeAsync();
    }

    [Fact]
    public async Task FindByIdAsync_AuthorizationOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindByIdAsync(Id, CancellationToken.None));

    [Fact]
    public async Task FindByIdAsync_OwnAuthorization_ReturnsIt() =>
        Assert.Equal(Subject, (await A.FindByIdAsync(Id, CancellationToken.None))?.Subject);

    [Fact]
    public async Task FindBySubjectAsync_AuthorizationsOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.FindBySubjectAsync(Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindBySubjectAsync_OwnAuthorizations_ReturnsThem() =>
        Assert.Single(await A.FindBySubjectAsync(Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByApplicationIdAsync_AuthorizationsOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.FindByApplicationIdAsync(ApplicationId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByApplicationIdAsync_OwnAuthorizations_ReturnsThem() =>
        Assert.Single(await A.FindByApplicationIdAsync(ApplicationId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindAsync_AuthorizationsOfOtherProject_ReturnsNone()
    {
        Assert.Empty(await B.FindAsync(Subject, ApplicationId, Statuses.Valid, AuthorizationTypes.Permanent, [Scopes.OpenId], CancellationToken.None).ToListAsync());
        Assert.Empty(await B.FindAsync(null, null, null, null, null, CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task FindAsync_OwnAuthorizations_ReturnsThem() =>
        Assert.Single(await A.FindAsync(Subject, ApplicationId, Statuses.Valid, AuthorizationTypes.Permanent, [Scopes.OpenId], CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_AuthorizationsOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.ListAsync(10, 0, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_OwnAuthorizations_ReturnsThem() =>
        Assert.Single(await A.ListAsync(10, 0, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_QueryInOtherProject_ReturnsNone() =>
        Assert.Empty(await B.ListAsync((authorizations, subject) => authorizations.Where(a => a.Subject == subject), Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_QueryInOwnProject_ReturnsOwn() =>
        Assert.Single(await A.ListAsync((authorizations, subject) => authorizations.Where(a => a.Subject == subject), Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task GetAsync_QueryForAuthorizationOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.GetAsync((authorizations, id) => authorizations.Where(a => a.Id == id), _entry.Id, CancellationToken.None));

    [Fact]
    public async Task GetAsync_QueryForOwnAuthorization_ReturnsIt() =>
        Assert.NotNull(await A.GetAsync((authorizations, id) => authorizations.Where(a => a.Id == id), _entry.Id, CancellationToken.None));

    [Fact]
    public async Task CountAsync_AuthorizationsOfOtherProject_ReturnsZero() =>
        Assert.Equal(0, await B.CountAsync(CancellationToken.None));

    [Fact]
    public async Task CountAsync_OwnAuthorizations_CountsThem() =>
        Assert.Equal(1, await A.CountAsync(CancellationToken.None));

    [Fact]
    public async Task CountAsync_QueryInOtherProject_ReturnsZero() =>
        Assert.Equal(0, await B.CountAsync(authorizations => authorizations.Where(a => a.Subject == Subject), CancellationToken.None));

    [Fact]
    public async Task CountAsync_QueryInOwnProject_CountsOwn() =>
        Assert.Equal(1, await A.CountAsync(authorizations => authorizations.Where(a => a.Subject == Subject), CancellationToken.None));

    [Fact]
    public async Task CreateAsync_IdUsedInOtherProject_StoresBothIndependently()
    {
        var entryOfB = NewEntry(Statuses.Valid, DateTimeOffset.UtcNow);
        entryOfB.Id = _entry.Id;

        await B.CreateAsync(entryOfB, CancellationToken.None);
        await B.RevokeBySubjectAsync(Subject, CancellationToken.None);

        Assert.Equal(Statuses.Revoked, (await B.FindByIdAsync(Id, CancellationToken.None))?.Status);
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task UpdateAsync_AuthorizationOfOtherProject_ThrowsAndLeavesItUnchanged()
    {
        var entry = (await A.FindByIdAsync(Id, CancellationToken.None))!;
        entry.Status = Statuses.Revoked;

        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => B.UpdateAsync(entry, CancellationToken.None).AsTask());

        await AssertStatusOfAAsync(Statuses.Valid);
        Assert.Null(await B.FindByIdAsync(Id, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateAsync_OwnAuthorization_SavesIt()
    {
        var entry = (await A.FindByIdAsync(Id, CancellationToken.None))!;
        entry.Status = Statuses.Revoked;

        await A.UpdateAsync(entry, CancellationToken.None);

        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task RevokeByApplicationIdAsync_AuthorizationsOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeByApplicationIdAsync_OwnAuthorizations_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task RevokeBySubjectAsync_AuthorizationsOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeBySubjectAsync(Subject, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeBySubjectAsync_OwnAuthorizations_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeBySubjectAsync(Subject, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task RevokeAsync_AuthorizationsOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeAsync(Subject, ApplicationId, null, null, CancellationToken.None));
        Assert.Equal(0, await B.RevokeAsync(null, null, null, null, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeAsync_OwnAuthorizations_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeAsync(Subject, ApplicationId, Statuses.Valid, AuthorizationTypes.Permanent, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task PruneAsync_PrunableAuthorizationsOfOtherProject_KeepsThem()
    {
        await A.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None);

        Assert.Equal(0, await B.PruneAsync(DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.NotNull(await A.FindByIdAsync(Id, CancellationToken.None));
    }

    [Fact]
    public async Task PruneAsync_OwnPrunableAuthorizations_DeletesThem()
    {
        await A.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None);

        Assert.Equal(1, await A.PruneAsync(DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Null(await A.FindByIdAsync(Id, CancellationToken.None));
    }

    [Fact]
    public async Task PruneAsync_AdHocKeptAliveOnlyByTokenOfOtherProject_DeletesIt()
    {
        var adHoc = NewEntry(Statuses.Valid, DateTimeOffset.UtcNow.AddDays(-2), AuthorizationTypes.AdHoc);
        await A.CreateAsync(adHoc, CancellationToken.None);
        await TokensOfB.InsertAsync(NewToken("sig-of-b", adHoc.Id), CancellationToken.None);

        Assert.Equal(1, await A.PruneAsync(DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Null(await A.FindByIdAsync(adHoc.Id.ToString(), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_AuthorizationOfOtherProject_KeepsItAndItsTokens()
    {
        await TokensOfA.InsertAsync(NewToken("sig-of-a", _entry.Id), CancellationToken.None);

        await B.DeleteAsync(_entry, CancellationToken.None);

        Assert.NotNull(await A.FindByIdAsync(Id, CancellationToken.None));
        Assert.NotNull(await TokensOfA.FindBySignatureAsync("sig-of-a", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_OwnAuthorization_DeletesItAndItsTokens()
    {
        await TokensOfA.InsertAsync(NewToken("sig-of-a", _entry.Id), CancellationToken.None);

        await A.DeleteAsync(_entry, CancellationToken.None);

        Assert.Null(await A.FindByIdAsync(Id, CancellationToken.None));
        Assert.Null(await TokensOfA.FindBySignatureAsync("sig-of-a", CancellationToken.None));
    }

    async Task AssertStatusOfAAsync(string status) =>
        Assert.Equal(status, (await A.FindByIdAsync(Id, CancellationToken.None))?.Status);

    static AuthorizationEntry NewEntry(string status, DateTimeOffset created, string type = AuthorizationTypes.Permanent) => new()
    {
        ApplicationId = ApplicationId,
        Subject = Subject,
        Status = status,
        Type = type,
        Scopes = [Scopes.OpenId, Scopes.OfflineAccess],
        CreationDate = created,
    };

    static TokenEntry NewToken(string signature, Guid authorizationId) => new()
    {
        ApplicationId = ApplicationId,
        AuthorizationId = authorizationId.ToString(),
        Subject = Subject,
        Type = TokenTypeHints.RefreshToken,
        Status = Statuses.Valid,
        CreationDate = DateTimeOffset.UtcNow,
        ExpirationDate = DateTimeOffset.UtcNow.AddHours(1),
        Signature = signature,
    };
}
