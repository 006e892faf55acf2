using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>
/// The writes that reach past their own document — deleting a client or an authorization deletes its tokens,
/// pruning an authorization looks for live tokens — stay within the project, where namesakes exist in both.
/// </summary>
[Collection(OAuth2StorageCollection.Name)]
public sealed class CrossStoreIsolationTests(OAuth2StorageFixture fixture)
{
    const string ClientId = "web-app";
    static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ClientDeleteAsync_NamesakesInBothProjects_DeletesOnlyOwnClientTokensAndAuthorizations()
    {
        await using var a = ProjectScope.Open(fixture.Services);
        await using var b = ProjectScope.Open(fixture.Services);
        foreach (var project in new[] { a, b })
        {
            await project.Clients.CreateAsync(new StoredClient { Id = ClientId, ClientName = "app" }, None);
            await project.Tokens.InsertAsync(Token($"sig-{project.Project.Id:N}", authorizationId: null), None);
            await project.Authorizations.CreateAsync(new AuthorizationEntry { ApplicationId = ClientId, Status = Statuses.Valid }, None);
        }
        var before = await ProjectData.SnapshotAsync(fixture.Services, b.Project);

        Assert.True(await a.Clients.DeleteAsync(ClientId, None));

        Assert.Null(await a.Clients.FindAsync(ClientId, None));
        Assert.Equal(0, await a.Tokens.CountAsync(None));
        Assert.Equal(0, await a.Authorizations.CountAsync(None));
        Assert.Equal(before, await ProjectData.SnapshotAsync(fixture.Services, b.Project));
    }

    [Fact]
    public async Task AuthorizationDeleteAsync_OwnAuthorization_DeletesItAndItsTokens()
    {
        await using var a = ProjectScope.Open(fixture.Services);
        var entry = new AuthorizationEntry { ApplicationId = ClientId, Status = Statuses.Valid };
        await a.Authorizations.CreateAsync(entry, None);
        await a.Tokens.InsertAsync(Token("sig-of-a", entry.Id), None);

        await a.Authorizations.DeleteAsync(entry, None);

        Assert.Null(await a.Authorizations.FindByIdAsync(entry.Id.ToString(), None));
        Assert.Null(await a.Tokens.FindBySignatureAsync("sig-of-a", None));
    }

    [Fact]
    public async Task AuthorizationPruneAsync_AdHocKeptAliveOnlyByTokenOfOtherProject_DeletesIt()
    {
        await using var a = ProjectScope.Open(fixture.Services);
        await using var b = ProjectScope.Open(fixture.Services);
        var adHoc = new AuthorizationEntry
        {
            ApplicationId = ClientId,
            Status = Statuses.Valid,
            Type = AuthorizationTypes.AdHoc,
            CreationDate = TimeProvider.System.GetUtcNow().AddDays(-2),
        };
        await a.Authorizations.CreateAsync(adHoc, None);
        await b.Tokens.InsertAsync(Token("sig-of-b", adHoc.Id), None);

        Assert.Equal(1, await a.Authorizations.PruneAsync(TimeProvider.System.GetUtcNow(), None));

        Assert.Null(await a.Authorizations.FindByIdAsync(adHoc.Id.ToString(), None));
    }

    static TokenEntry Token(string signature, Guid? authorizationId) => new()
    {
        ApplicationId = ClientId,
        AuthorizationId = authorizationId?.ToString(),
        Type = TokenTypeHints.RefreshToken,
        Status = Statuses.Valid,
        CreationDate = TimeProvider.System.GetUtcNow(),
        ExpirationDate = TimeProvider.System.GetUtcNow().AddHours(1),
        Signature = signature,
    };
}
