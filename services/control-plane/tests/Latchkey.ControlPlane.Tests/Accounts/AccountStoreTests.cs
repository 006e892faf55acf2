using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Latchkey.ControlPlane.Accounts;
using Latchkey.Storage;
using Marten;
using Xunit;

namespace Latchkey.ControlPlane.Tests.Accounts;

/// <summary>Every method of <see cref="AccountStore"/>, and for each that workspace B cannot read or delete A's accounts.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class AccountStoreTests(ControlPlaneFixture fixture)
{
    const string Password = "a long enough password";

    AccountStore Store => fixture.Get<AccountStore>();

    static string NewEmail() => $"{Guid.NewGuid():N}@example.com";

    async Task<Account> LoadAsync(string email)
    {
        await using var session = fixture.Get<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Account>(email))!;
    }

    async Task<(string Email, Guid Workspace)> AccountAsync(Guid? workspace = null)
    {
        var email = NewEmail();
        Assert.Null(await Store.CreateAsync(email, Password, workspace, CancellationToken.None));
        return (email, (await LoadAsync(email)).WorkspaceId);
    }

    [Fact]
    public async Task SignInAsync_RightPassword_IssuesA12HourSessionKey()
    {
        var (email, workspace) = await AccountAsync();

        var outcome = await Store.SignInAsync(email, Password, CancellationToken.None);

        Assert.Equal(workspace, outcome.Key!.WorkspaceId);
        Assert.Equal(fixture.Clock.GetUtcNow() + AccountStore.SessionLifetime, outcome.Key.ExpiresAt);
        Assert.True(AccountStore.IsSession(outcome.Key));
        Assert.Equal(outcome.Key.Id, (await fixture.Get<ApiKeyDirectory>().VerifyAsync(outcome.Value!, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task SignInAsync_WrongPasswordOrUnknownEmail_AnswersTheSame()
    {
        var (email, _) = await AccountAsync();

        Assert.Same(SignInOutcome.WrongCredentials, await Store.SignInAsync(email, "wrong password", CancellationToken.None));
        Assert.Same(SignInOutcome.WrongCredentials, await Store.SignInAsync(NewEmail(), Password, CancellationToken.None));
    }

    [Fact]
    public async Task SignInAsync_SixthAttemptInWindow_IsThrottledEvenWithTheRightPassword()
    {
        var (email, _) = await AccountAsync();
        for (var i = 0; i < 5; i++) await Store.SignInAsync(email, "wrong password", CancellationToken.None);

        Assert.True((await Store.SignInAsync(email, Password, CancellationToken.None)).IsThrottled);
    }

    [Fact]
    public async Task SignInAsync_LegacyHash_SignsInAndStoresTodaysHash()
    {
        var (email, _) = await AccountAsync();
        var account = await LoadAsync(email);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, 1000, HashAlgorithmName.SHA512, 32);
        account.PasswordHash = $"pbkdf2-sha512${1000.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
        await using (var session = fixture.Get<IDocumentStore>().LightweightSession())
        {
            session.Update(account);
            await session.SaveChangesAsync();
        }

        Assert.NotNull((await Store.SignInAsync(email, Password, CancellationToken.None)).Key);

        var rehashed = (await LoadAsync(email)).PasswordHash;
        Assert.DoesNotContain('$', rehashed);
        Assert.Equal(Microsoft.AspNetCore.Identity.PasswordVerificationResult.Success, PasswordHashing.Verify(Password, rehashed));
    }

    [Fact]
    public async Task SignInAsync_MalformedStoredHash_IsWrongCredentials()
    {
        var (email, _) = await AccountAsync();
        var account = await LoadAsync(email);
        account.PasswordHash = "pbkdf2-sha512$x$y$z";
        await using (var session = fixture.Get<IDocumentStore>().LightweightSession())
        {
            session.Update(account);
            await session.SaveChangesAsync();
        }

        Assert.Same(SignInOutcome.WrongCredentials, await Store.SignInAsync(email, Password, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_TakenEmail_IsEmailTaken()
    {
        var (email, _) = await AccountAsync();

        var error = await Store.CreateAsync(email, Password, null, CancellationToken.None);

        Assert.Equal("LK5501", error?.Id);
    }

    [Fact]
    public async Task ConfirmOwnerAsync_SessionAndItsPassword_Passes_WrongPassword_IsRefused()
    {
        var (email, _) = await AccountAsync();
        var key = (await Store.SignInAsync(email, Password, CancellationToken.None)).Key!;

        Assert.Null(await Store.ConfirmOwnerAsync(key, Password, CancellationToken.None));
        Assert.Equal(AccountErrors.WrongOwnerPassword.Id, (await Store.ConfirmOwnerAsync(key, "wrong password", CancellationToken.None))?.Id);
        Assert.Equal(AccountErrors.OwnerPasswordRequired.Id, (await Store.ConfirmOwnerAsync(key, null, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task ListAsync_ListsOnlyTheWorkspacesAccounts()
    {
        var (first, workspace) = await AccountAsync();
        var (second, _) = await AccountAsync(workspace);
        await AccountAsync();

        var listed = await Store.ListAsync(workspace, CancellationToken.None);

        Assert.Equal([first, second], listed.Select(a => a.Id));
    }

    [Fact]
    public async Task DeleteAsync_Account_RevokesItsSessions()
    {
        var (owner, workspace) = await AccountAsync();
        var (other, _) = await AccountAsync(workspace);
        var session = await Store.SignInAsync(other, Password, CancellationToken.None);

        Assert.Null(await Store.DeleteAsync(workspace, other, CancellationToken.None));

        Assert.Null(await fixture.Get<ApiKeyDirectory>().VerifyAsync(session.Value!, CancellationToken.None));
        Assert.Equal([owner], (await Store.ListAsync(workspace, CancellationToken.None)).Select(a => a.Id));
    }

    [Fact]
    public async Task DeleteAsync_LastAccount_IsRefused()
    {
        var (email, workspace) = await AccountAsync();

        Assert.Equal("LK5506", (await Store.DeleteAsync(workspace, email, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task DeleteAsync_OtherWorkspacesAccount_IsNotFoundAndKeepsIt()
    {
        var (email, workspace) = await AccountAsync();
        await AccountAsync(workspace);
        var (_, other) = await AccountAsync();

        Assert.Equal(AccountErrors.NotFound.Id, (await Store.DeleteAsync(other, email, CancellationToken.None))?.Id);
        Assert.Contains(email, (await Store.ListAsync(workspace, CancellationToken.None)).Select(a => a.Id));
    }

    [Fact]
    public async Task RevokeAsync_Session_StopsVerifyingAtOnce()
    {
        var (email, _) = await AccountAsync();
        var outcome = await Store.SignInAsync(email, Password, CancellationToken.None);

        await Store.RevokeAsync(outcome.Key!, CancellationToken.None);

        Assert.Null(await fixture.Get<ApiKeyDirectory>().VerifyAsync(outcome.Value!, CancellationToken.None));
    }
}
