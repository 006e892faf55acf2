using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Latchkey.Libs.Tests.Storage;

public sealed class SecretHasherTests
{
    static SecretHasher With(params string[] secrets) =>
        new(PlatformSettings.From(new ConfigurationBuilder().Build()) with { SystemSecrets = secrets });

    [Fact]
    public void Hash_IsDeterministicBase64Url()
    {
        var hasher = With("one");
        var hash = hasher.Hash("lk_pat_x");

        Assert.Equal(hash, hasher.Hash("lk_pat_x"));
        Assert.Equal(43, hash.Length);
        Assert.DoesNotContain('=', hash);
        Assert.DoesNotContain('+', hash);
        Assert.DoesNotContain('/', hash);
    }

    [Fact]
    public void Verify_HashUnderRetiredSecret_StillVerifies()
    {
        var stored = With("old").Hash("lk_pat_x");
        var rotated = With("new", "old");

        Assert.True(rotated.Verify("lk_pat_x", stored));
        Assert.False(rotated.Verify("lk_pat_y", stored));
        Assert.Equal([rotated.Hash("lk_pat_x"), stored], rotated.Candidates("lk_pat_x"));
    }

    [Fact]
    public void Generate_HasPrefixAnd256Bits()
    {
        var secret = Secrets.Generate(Secrets.ProjectKeyPrefix);

        Assert.StartsWith(Secrets.ProjectKeyPrefix, secret);
        Assert.Equal(Secrets.ProjectKeyPrefix.Length + 43, secret.Length);
    }
}
