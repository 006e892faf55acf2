using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Storage;
using Latchkey.Storage;
using Latchkey.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Latchkey.OAuth2.Tests.Hosted;

[Collection(OAuth2StorageCollection.Name)]
public sealed class HostedUsersTests(OAuth2StorageFixture fixture)
{
    const string Password = "correct horse battery staple";

    readonly ProjectInfo _project = TestProjectContext.NewProject();

    [Fact]
    public async Task SignInAsync_LegacyHash_SignsInAndStoresTodaysHash()
    {
        var email = $"{Guid.NewGuid():N}@example.com";
        Guid id;
        await using (var scope = fixture.ScopeFor(_project))
        {
            var user = (await scope.ServiceProvider.GetRequiredService<HostedUsers>().CreateAsync(email, Password, CancellationToken.None))!;
            id = user.Id;
            // The format hosted users were stored in before PasswordHashing: pbkdf2-sha256$iterations$salt$hash.
            var salt = RandomNumberGenerator.GetBytes(16);
            var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, 1000, HashAlgorithmName.SHA256, 32);
            user.PasswordHash = $"pbkdf2-sha256${1000.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
            var work = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
            work.Session.Update(user);
            await work.SaveChangesAsync(CancellationToken.None);
        }

        await using (var scope = fixture.ScopeFor(_project))
        {
            var (status, _) = await scope.ServiceProvider.GetRequiredService<HostedUsers>().SignInAsync(email, Password, CancellationToken.None);
            Assert.Equal(HostedUsers.SignInStatus.Ok, status);
        }

        await using (var scope = fixture.ScopeFor(_project))
        {
            var rehashed = (await scope.ServiceProvider.GetRequiredService<HostedUsers>().FindAsync(id, CancellationToken.None))!.PasswordHash;
            Assert.DoesNotContain('$', rehashed);
            Assert.Equal(PasswordVerificationResult.Success, PasswordHashing.Verify(Password, rehashed));
        }
    }
}
