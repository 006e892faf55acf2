using JasperFx;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Tokens;

/// <summary>Project B can neither read, change, revoke, prune nor delete project A's token entries; A can.</summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class TokenStoreIsolationTests(OAuth2StorageFixture fixture) : IAsyncLifetime
{
    const string Signature = "sig-of-a";
    const string ApplicationId = "web-app";
    const string AuthorizationId = "auth-1";
    const string Subject = "alice";

    readonly ProjectInfo _projectA = TestProjectContext.NewProject();
    readonly ProjectInfo _projectB = TestProjectContext.NewProject();
    AsyncServiceScope _scopeA;
    AsyncServiceScope _scopeB;
    TokenEntry _entry = null!;

    TokenStore A => _scopeA.ServiceProvider.GetRequiredService<TokenStore>();
    TokenStore B => _scopeB.ServiceProvider.GetRequiredService<TokenStore>();

    public async Task InitializeAsync()
    {
        _scopeA = fixture.ScopeFor(_projectA);
        _scopeB = fixture.ScopeFor(_projectB);
        _entry = NewEntry(Signature, Statuses.Valid, DateTimeOffset.UtcNow.AddHours(1));
        await A.InsertAsync(_entry, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _scopeA.DisposeAsync();
        await _scopeB.DisposeAsync();
    }

    [Fact]
    public async Task FindBySignatureAsync_TokenOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindBySignatureAsync(Signature, CancellationToken.None));

    [Fact]
    public async Task FindBySignatureAsync_OwnToken_ReturnsIt() =>
        Assert.Equal(_entry.Id, (await A.FindBySignatureAsync(Signature, CancellationToken.None))?.Id);

    [Fact]
    public async Task FindByReferenceIdAsync_TokenOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindByReferenceIdAsync(Signature, CancellationToken.None));

    [Fact]
    public async Task FindByReferenceIdAsync_OwnToken_ReturnsIt() =>
        Assert.Equal(_entry.Id, (await A.FindByReferenceIdAsync(Signature, CancellationToken.None))?.Id);

    [Fact]
    public async Task FindByIdAsync_TokenOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.FindByIdAsync(_entry.Id.ToString(), CancellationToken.None));

    [Fact]
    public async Task FindByIdAsync_OwnToken_ReturnsIt() =>
        Assert.Equal(Signature, (await A.FindByIdAsync(_entry.Id.ToString(), CancellationToken.None))?.Signature);

    [Fact]
    public async Task FindBySubjectAsync_TokensOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.FindBySubjectAsync(Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindBySubjectAsync_OwnTokens_ReturnsThem() =>
        Assert.Single(await A.FindBySubjectAsync(Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByApplicationIdAsync_TokensOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.FindByApplicationIdAsync(ApplicationId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByApplicationIdAsync_OwnTokens_ReturnsThem() =>
        Assert.Single(await A.FindByApplicationIdAsync(ApplicationId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByAuthorizationIdAsync_TokensOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.FindByAuthorizationIdAsync(AuthorizationId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindByAuthorizationIdAsync_OwnTokens_ReturnsThem() =>
        Assert.Single(await A.FindByAuthorizationIdAsync(AuthorizationId, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindAsync_TokensOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.FindAsync(Subject, ApplicationId, Statuses.Valid, TokenTypeHints.RefreshToken, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task FindAsync_OwnTokens_ReturnsThem() =>
        Assert.Single(await A.FindAsync(Subject, ApplicationId, Statuses.Valid, TokenTypeHints.RefreshToken, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_TokensOfOtherProject_ReturnsNone() =>
        Assert.Empty(await B.ListAsync(10, 0, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_OwnTokens_ReturnsThem() =>
        Assert.Single(await A.ListAsync(10, 0, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_QueryInOtherProject_ReturnsNone() =>
        Assert.Empty(await B.ListAsync((tokens, subject) => tokens.Where(t => t.Subject == subject), Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task ListAsync_QueryInOwnProject_ReturnsOwn() =>
        Assert.Single(await A.ListAsync((tokens, subject) => tokens.Where(t => t.Subject == subject), Subject, CancellationToken.None).ToListAsync());

    [Fact]
    public async Task GetAsync_QueryForTokenOfOtherProject_ReturnsNull() =>
        Assert.Null(await B.GetAsync((tokens, signature) => tokens.Where(t => t.Signature == signature), Signature, CancellationToken.None));

    [Fact]
    public async Task GetAsync_QueryForOwnToken_ReturnsIt() =>
        Assert.NotNull(await A.GetAsync((tokens, signature) => tokens.Where(t => t.Signature == signature), Signature, CancellationToken.None));

    [Fact]
    public async Task CountAsync_TokensOfOtherProject_ReturnsZero() =>
        Assert.Equal(0, await B.CountAsync(CancellationToken.None));

    [Fact]
    public async Task CountAsync_OwnTokens_CountsThem() =>
        Assert.Equal(1, await A.CountAsync(CancellationToken.None));

    [Fact]
    public async Task CountAsync_QueryInOtherProject_ReturnsZero() =>
        Assert.Equal(0, await B.CountAsync(tokens => tokens.Where(t => t.Subject == Subject), CancellationToken.None));

    [Fact]
    public async Task CountAsync_QueryInOwnProject_CountsOwn() =>
        Assert.Equal(1, await A.CountAsync(tokens => tokens.Where(t => t.Subject == Subject), CancellationToken.None));

    [Fact]
    public async Task UpdateAsync_EntryOfOtherProject_ThrowsAndLeavesItUnchanged()
    {
        var entry = (await A.FindBySignatureAsync(Signature, CancellationToken.None))!;
        entry.Status = Statuses.Redeemed;

        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => B.UpdateAsync(entry, CancellationToken.None).AsTask());

        Assert.Equal(Statuses.Valid, (await A.FindBySignatureAsync(Signature, CancellationToken.None))?.Status);
        Assert.Null(await B.FindBySignatureAsync(Signature, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateAsync_OwnEntry_SavesIt()
    {
        var entry = (await A.FindBySignatureAsync(Signature, CancellationToken.None))!;
        entry.Status = Statuses.Redeemed;

        await A.UpdateAsync(entry, CancellationToken.None);

        Assert.Equal(Statuses.Redeemed, (await A.FindBySignatureAsync(Signature, CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task RevokeByApplicationIdAsync_TokensOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeByApplicationIdAsync_OwnTokens_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task RevokeBySubjectAsync_TokensOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeBySubjectAsync(Subject, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeBySubjectAsync_OwnTokens_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeBySubjectAsync(Subject, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task RevokeByAuthorizationIdAsync_TokensOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeByAuthorizationIdAsync(AuthorizationId, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeByAuthorizationIdAsync_OwnTokens_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeByAuthorizationIdAsync(AuthorizationId, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task RevokeAsync_TokensOfOtherProject_RevokesNone()
    {
        Assert.Equal(0, await B.RevokeAsync(Subject, ApplicationId, null, null, CancellationToken.None));
        Assert.Equal(0, await B.RevokeAsync(null, null, null, null, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task RevokeAsync_OwnTokens_RevokesThem()
    {
        Assert.Equal(1, await A.RevokeAsync(Subject, ApplicationId, Statuses.Valid, TokenTypeHints.RefreshToken, CancellationToken.None));
        await AssertStatusOfAAsync(Statuses.Revoked);
    }

    [Fact]
    public async Task PruneAsync_PrunableTokensOfOtherProject_KeepsThem()
    {
        await A.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None);

        Assert.Equal(0, await B.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));

        Assert.NotNull(await A.FindBySignatureAsync(Signature, CancellationToken.None));
    }

    [Fact]
    public async Task PruneAsync_OwnPrunableTokens_DeletesThem()
    {
        await A.RevokeByApplicationIdAsync(ApplicationId, CancellationToken.None);

        Assert.Equal(1, await A.PruneAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));

        Assert.Null(await A.FindBySignatureAsync(Signature, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_EntryOfOtherProject_KeepsIt()
    {
        await B.DeleteAsync(_entry, CancellationToken.None);
        Assert.NotNull(await A.FindBySignatureAsync(Signature, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_OwnEntry_DeletesIt()
    {
        await A.DeleteAsync(_entry, CancellationToken.None);
        Assert.Null(await A.FindBySignatureAsync(Signature, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_SignatureUsedInOtherProject_StoresBothIndependently()
    {
        var entryOfB = NewEntry(Signature, Statuses.Valid, DateTimeOffset.UtcNow.AddHours(1));
        entryOfB.Id = _entry.Id;

        await B.InsertAsync(entryOfB, CancellationToken.None);
        await B.RevokeBySubjectAsync(Subject, CancellationToken.None);

        Assert.Equal(Statuses.Revoked, (await B.FindBySignatureAsync(Signature, CancellationToken.None))?.Status);
        await AssertStatusOfAAsync(Statuses.Valid);
    }

    [Fact]
    public async Task InsertAsync_SignatureUsedInSameProject_Throws()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            A.InsertAsync(NewEntry(Signature, Statuses.Valid, DateTimeOffset.UtcNow.AddHours(1)), CancellationToken.None));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
    }

    async Task AssertStatusOfAAsync(string status) =>
        Assert.Equal(status, (await A.FindBySignatureAsync(Signature, CancellationToken.None))?.Status);

    static TokenEntry NewEntry(string signature, string status, DateTimeOffset expires) => new()
    {
        ApplicationId = ApplicationId,
        AuthorizationId = AuthorizationId,
        Subject = Subject,
        Type = TokenTypeHints.RefreshToken,
        Status = status,
        CreationDate = DateTimeOffset.UtcNow,
        ExpirationDate = expires,
        Signature = signature,
        Payload = "encrypted-envelope",
    };
}
