using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

public sealed class PasswordHashingTests
{
    const string Password = "correct horse battery staple";

    /// <summary>A hash as the code before <see cref="PasswordHashing"/> wrote it: <c>scheme$iterations$salt$hash</c>.</summary>
    static string Legacy(string scheme, HashAlgorithmName algorithm, int iterations, string password = Password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, algorithm, 32);
        return string.Join('$', scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    [Fact]
    public void Verify_FreshHash_Succeeds()
    {
        var stored = PasswordHashing.Hash(Password);

        Assert.Equal(PasswordVerificationResult.Success, PasswordHashing.Verify(Password, stored));
        Assert.Equal(PasswordVerificationResult.Failed, PasswordHashing.Verify("wrong", stored));
    }

    [Fact]
    public void Hash_SamePasswordTwice_DiffersBySalt() =>
        Assert.NotEqual(PasswordHashing.Hash(Password), PasswordHashing.Hash(Password));

    [Theory]
    [InlineData("pbkdf2-sha512", 210_000)] // control plane accounts
    [InlineData("pbkdf2-sha256", 210_000)] // hosted users
    [InlineData("pbkdf2", 100_000)]        // client secrets a caller chose
    public void Verify_LegacyFormat_SucceedsAndAsksForRehash(string scheme, int iterations)
    {
        var algorithm = scheme == "pbkdf2-sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        var stored = Legacy(scheme, algorithm, iterations);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, PasswordHashing.Verify(Password, stored));
        Assert.Equal(PasswordVerificationResult.Failed, PasswordHashing.Verify("wrong", stored));
    }

    [Fact]
    public void Verify_IdentityHashAtLowerCost_AsksForRehash()
    {
        var cheaper = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { IterationCount = 10_000 }));
        var stored = cheaper.HashPassword(new object(), Password);

        Assert.Equal(PasswordVerificationResult.SuccessRehashNeeded, PasswordHashing.Verify(Password, stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AQAAAA")]
    [InlineData("AA==")]
    [InlineData("pbkdf2$")]
    [InlineData("pbkdf2$abc$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2$0$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2$-5$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2$99999999999$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2$1000$not-base64!$aGFzaA==")]
    [InlineData("pbkdf2$1000$c2FsdA==$not-base64!")]
    [InlineData("pbkdf2$1000$c2FsdA==$")]
    [InlineData("md5$1000$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2-sha512$1000$c2FsdA==$aGFzaA==$extra")]
    public void Verify_MalformedStoredHash_FailsWithoutThrowing(string stored) =>
        Assert.Equal(PasswordVerificationResult.Failed, PasswordHashing.Verify(Password, stored));

    [Fact]
    public void Verify_NoStoredHash_Fails() =>
        Assert.Equal(PasswordVerificationResult.Failed, PasswordHashing.Verify(Password, null));
}
