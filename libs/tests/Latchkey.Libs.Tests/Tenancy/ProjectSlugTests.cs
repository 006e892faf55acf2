using Latchkey.Tenancy;
using Xunit;

namespace Latchkey.Libs.Tests.Tenancy;

public sealed class ProjectSlugTests
{
    [Fact]
    public void Generate_IsWellFormedAdjectiveNameAndTenCharacters()
    {
        var slug = ProjectSlug.Generate();

        Assert.True(ProjectSlug.IsWellFormed(slug));
        var parts = slug.Split('-');
        Assert.Equal(3, parts.Length);
        Assert.Equal(10, parts[2].Length);
    }

    [Fact]
    public void Generate_ManyTimes_NeverRepeats()
    {
        var slugs = Enumerable.Range(0, 1000).Select(_ => ProjectSlug.Generate()).ToHashSet();

        Assert.Equal(1000, slugs.Count);
    }

    [Theory]
    [InlineData("elastic-goldstine-1n7d31aph0")]
    [InlineData("a")]
    [InlineData("a-b-c")]
    public void IsWellFormed_DnsLabel_IsTrue(string slug) => Assert.True(ProjectSlug.IsWellFormed(slug));

    [Theory]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("Upper")]
    [InlineData("a.b")]
    [InlineData("a_b")]
    [InlineData("ü")]
    public void IsWellFormed_NotADnsLabel_IsFalse(string slug) => Assert.False(ProjectSlug.IsWellFormed(slug));

    [Fact]
    public void IsWellFormed_LongerThan63_IsFalse()
    {
        Assert.True(ProjectSlug.IsWellFormed(new string('a', 63)));
        Assert.False(ProjectSlug.IsWellFormed(new string('a', 64)));
    }
}
