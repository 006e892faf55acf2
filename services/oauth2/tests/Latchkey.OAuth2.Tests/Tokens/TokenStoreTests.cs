using System.Collections.Immutable;
using System.Text.Json;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.OAuth2.Tokens;
using Latchkey.Tenancy;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;
using Xunit;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Tests.Tokens;

[Collection(OAuth2StorageCollection.Name)]
public sealed class TokenStoreTests(OAuth2StorageFixture fixture) : IAsyncLifetime
{
    readonly ProjectInfo _project = TestProjectContext.NewProject();
    AsyncServiceScope _scope;

    TokenStore Store => _scope.ServiceProvider.GetRequiredService<TokenStore>();

    public Task InitializeAsync()
    {
        _scope = fixture.ScopeFor(_project);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task InsertAsync_OneStatement_WritesTheDocumentMartenReadsAndVersionChecks()
    {
        var entry = NewEntry("one-statement");
        await Store.InsertAsync(entry, CancellationToken.None);

        await using var other = fixture.ScopeFor(_project);
        var work = other.ServiceProvider.GetRequiredService<UnitOfWork>();
        var read = (await work.Session.LoadAsync<TokenEntry>(entry.Id))!;
        Assert.Equal((entry.Signature, entry.Subject, entry.Status, entry.Version), (read.Signature, read.Subject, read.Status, read.Version));

        var stale = (await work.Session.LoadAsync<TokenEntry>(entry.Id))!;
        read.Status = Statuses.Redeemed;
        await other.ServiceProvider.GetRequiredService<TokenStore>().UpdateAsync(read, CancellationToken.None);
        stale.Status = Statuses.Revoked;
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(stale, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task InsertAsync_WhileASignInHoldsTheUnitOfWork_WritesAtOnceOnItsOwn()
    {
        var work = _scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        work.Hold();

        await Store.InsertAsync(NewEntry("own-statement"), CancellationToken.None);

        await using var other = fixture.ScopeFor(_project);
        Assert.NotNull(await other.ServiceProvider.GetRequiredService<TokenStore>().FindBySignatureAsync("own-statement", CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_SignatureUsedInSameProject_ThrowsUniqueViolation()
    {
        await Store.InsertAsync(NewEntry("taken"), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => Store.InsertAsync(NewEntry("taken"), CancellationToken.None));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
    }

    /// <summary>Group commit (TokenWriter): concurrent inserts share statements, and each returns only once committed.</summary>
    [Fact]
    public async Task InsertAsync_ManyConcurrentRequests_EveryEntryIsCommittedWhenItsTaskCompletes()
    {
        var signatures = Enumerable.Range(0, 200).Select(i => $"concurrent-{i}").ToList();

        await Task.WhenAll(signatures.Select(async signature =>
        {
            await using var request = fixture.ScopeFor(_project);
            await request.ServiceProvider.GetRequiredService<TokenStore>().InsertAsync(NewEntry(signature), CancellationToken.None);
        }));

        await using var other = fixture.ScopeFor(_project);
        var stored = await other.ServiceProvider.GetRequiredService<TokenStore>().ListAsync(null, null, CancellationToken.None)
            .Select(t => t.Signature).ToListAsync();
        Assert.Equal(signatures.Order(), stored.Order());
    }

    [Fact]
    public async Task InsertAsync_ConcurrentBatchWithOneTakenSignature_FailsExactlyThatRequest()
    {
        await Store.InsertAsync(NewEntry("taken"), CancellationToken.None);
        var signatures = Enumerable.Range(0, 60).Select(i => i == 30 ? "taken" : $"fine-{i}").ToList();

        var outcomes = await Task.WhenAll(signatures.Select(async signature =>
        {
            await using var request = fixture.ScopeFor(_project);
            try
            {
                await request.ServiceProvider.GetRequiredService<TokenStore>().InsertAsync(NewEntry(signature), CancellationToken.None);
                return (signature, Error: (string?)null);
            }
            catch (PostgresException ex)
            {
                return (signature, Error: ex.SqlState);
            }
        }));

        Assert.Equal([("taken", PostgresErrorCodes.UniqueViolation)], outcomes.Where(o => o.Error is not null).Select(o => (o.signature, o.Error!)));
        await using var other = fixture.ScopeFor(_project);
        var stored = await other.ServiceProvider.GetRequiredService<TokenStore>().ListAsync(null, null, CancellationToken.None)
            .Select(t => t.Signature).ToListAsync();
        Assert.Equal(signatures.Where(s => s != "taken").Append("taken").Order(), stored.Order());
    }

    [Fact]
    public async Task UpdateAsync_StaleEntry_ThrowsOpenIddictConcurrencyException()
    {
        await Store.InsertAsync(NewEntry("s1"), CancellationToken.None);
        var first = (await Store.FindBySignatureAsync("s1", CancellationToken.None))!;
        var second = (await Store.FindBySignatureAsync("s1", CancellationToken.None))!;
        first.Status = Statuses.Redeemed;
        await Store.UpdateAsync(first, CancellationToken.None);

        second.Status = Statuses.Redeemed;
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(second, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task UpdateAsync_EntryRevokedSinceRead_ThrowsAndStaysRevoked()
    {
        await Store.InsertAsync(NewEntry("s1"), CancellationToken.None);
        var read = (await Store.FindBySignatureAsync("s1", CancellationToken.None))!;
        await Store.RevokeBySubjectAsync("alice", CancellationToken.None);

        read.Status = Statuses.Redeemed;
        await Assert.ThrowsAsync<OpenIddictExceptions.ConcurrencyException>(() => Store.UpdateAsync(read, CancellationToken.None).AsTask());
        Assert.Equal(Statuses.Revoked, (await Store.FindBySignatureAsync("s1", CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task TryRedeemAsync_SameEntryReadByTwoRequests_OnlyFirstRedeems()
    {
        await Store.InsertAsync(NewEntry("s1"), CancellationToken.None);
        await using var other = fixture.ScopeFor(_project);
        var manager = _scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var otherManager = other.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var id = (await Store.FindBySignatureAsync("s1", CancellationToken.None))!.Id.ToString();
        var first = await manager.FindByIdAsync(id, CancellationToken.None);
        var second = await otherManager.FindByIdAsync(id, CancellationToken.None);

        Assert.True(await manager.TryRedeemAsync(first!, CancellationToken.None));
        Assert.False(await otherManager.TryRedeemAsync(second!, CancellationToken.None));
    }

    [Fact]
    public async Task PruneAsync_MixedEntries_DeletesOnlyUnusableOnesCreatedBeforeThreshold()
    {
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-2);
        await Store.InsertAsync(NewEntry("valid-old", Statuses.Valid, old, now.AddHours(1)), CancellationToken.None);
        await Store.InsertAsync(NewEntry("inactive-old", Statuses.Inactive, old, now.AddHours(1)), CancellationToken.None);
        await Store.InsertAsync(NewEntry("redeemed-old", Statuses.Redeemed, old, now.AddHours(1)), CancellationToken.None);
        await Store.InsertAsync(NewEntry("expired-old", Statuses.Valid, old, now.AddHours(-1)), CancellationToken.None);
        await Store.InsertAsync(NewEntry("redeemed-new", Statuses.Redeemed, now, now.AddHours(1)), CancellationToken.None);

        var pruned = await Store.PruneAsync(now.AddDays(-1), CancellationToken.None);

        Assert.Equal(2, pruned);
        var left = await Store.ListAsync(null, null, CancellationToken.None).Select(t => t.Signature).ToListAsync();
        Assert.Equal(["inactive-old", "redeemed-new", "valid-old"], left.Order());
    }

    [Fact]
    public async Task RevokeByApplicationIdAsync_SomeAlreadyRevoked_CountsOnlyNewlyRevoked()
    {
        await Store.InsertAsync(NewEntry("s1"), CancellationToken.None);
        await Store.InsertAsync(NewEntry("s2", Statuses.Revoked), CancellationToken.None);
        await Store.InsertAsync(NewEntry("s3"), CancellationToken.None);

        Assert.Equal(2, await Store.RevokeByApplicationIdAsync("web-app", CancellationToken.None));
        Assert.Equal(0, await Store.RevokeByApplicationIdAsync("web-app", CancellationToken.None));
    }

    [Fact]
    public async Task GetPropertiesAsync_AfterSetPropertiesAndSave_ReturnsThem()
    {
        var entry = NewEntry("s1");
        using var document = JsonDocument.Parse("""{"n":1,"s":"x"}""");
        var properties = ImmutableDictionary<string, JsonElement>.Empty
            .Add("number", document.RootElement.GetProperty("n"))
            .Add("text", document.RootElement.GetProperty("s"));
        await Store.SetPropertiesAsync(entry, properties, CancellationToken.None);
        await Store.InsertAsync(entry, CancellationToken.None);

        var stored = await Store.GetPropertiesAsync((await Store.FindBySignatureAsync("s1", CancellationToken.None))!, CancellationToken.None);

        Assert.Equal(1, stored["number"].GetInt32());
        Assert.Equal("x", stored["text"].GetString());
    }

    [Fact]
    public async Task CreateAsync_ThroughTokenManager_StoresEntryWithGeneratedId()
    {
        var manager = _scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();

        var token = await manager.CreateAsync(new OpenIddictTokenDescriptor
        {
            ApplicationId = "web-app",
            Subject = "alice",
            Status = Statuses.Valid,
            Type = TokenTypeHints.AccessToken,
            CreationDate = DateTimeOffset.UtcNow,
        }, CancellationToken.None);

        var id = await manager.GetIdAsync(token, CancellationToken.None);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.NotNull(await Store.FindByIdAsync(id!, CancellationToken.None));
    }

    static TokenEntry NewEntry(string signature, string status = Statuses.Valid, DateTimeOffset? created = null, DateTimeOffset? expires = null) => new()
    {
        ApplicationId = "web-app",
        Subject = "alice",
        Type = TokenTypeHints.RefreshToken,
        Status = status,
        CreationDate = created ?? DateTimeOffset.UtcNow,
        ExpirationDate = expires ?? DateTimeOffset.UtcNow.AddHours(1),
        Signature = signature,
    };
}
