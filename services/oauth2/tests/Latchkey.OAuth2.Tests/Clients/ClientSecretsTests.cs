using System.Security.Cryptography;
using Latchkey.OAuth2.Clients;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Latchkey.OAuth2.Tests.Clients;

public sealed class ClientSecretsTests
{
    readonly FakeTimeProvider _clock = new();
    readonly ClientSecrets _secrets;

    public ClientSecretsTests() =>
        _secrets = new ClientSecrets(new SecretHasher(PlatformSettings.From(new ConfigurationBuilder().Build())), _clock);

    [Fact]
    public void Verify_GeneratedSecret_IsFastKeyedHash()
    {
        var secret = ClientSecrets.Generate();
        var stored = _secrets.Hash(secret, generated: true);

        Assert.False(ClientSecrets.IsSlow(stored));
        Assert.True(_secrets.Verify(secret, stored));
        Assert.False(_secrets.Verify(secret + "x", stored));
    }

    [Fact]
    public void Verify_ChosenSecret_IsSlowHashAndRememberedForAMinute()
    {
        var stored = _secrets.Hash("chosen secret", generated: false);
        Assert.True(ClientSecrets.IsSlow(stored));
        Assert.False(_secrets.IsRemembered("chosen secret", stored));

        Assert.True(_secrets.Verify("chosen secret", stored));
        Assert.True(_secrets.IsRemembered("chosen secret", stored));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(_secrets.IsRemembered("chosen secret", stored));
        Assert.False(_secrets.Verify("wrong", stored));
    }

    [Fact]
    public void Verify_HashWrittenBeforePasswordHashing_StillVerifies()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2("chosen secret", salt, 100_000, HashAlgorithmName.SHA256, 32);
        var stored = $"pbkdf2$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";

        Assert.True(ClientSecrets.IsSlow(stored));
        Assert.True(_secrets.Verify("chosen secret", stored));
    }

    [Theory]
    [InlineData("pbkdf2$many$c2FsdA==$aGFzaA==")]
    [InlineData("pbkdf2$1000$%%%$aGFzaA==")]
    [InlineData("hmac$")]
    [InlineData("garbage")]
    public void Verify_MalformedStoredHash_IsFalseNotAnException(string stored) =>
        Assert.False(_secrets.Verify("chosen secret", stored));
}
