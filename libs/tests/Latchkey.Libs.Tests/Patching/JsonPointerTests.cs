using Latchkey.ServiceDefaults.Patching;
using Xunit;

namespace Latchkey.Libs.Tests.Patching;

public sealed class JsonPointerTests
{
    [Fact]
    public void TryParse_Empty_IsRoot()
    {
        Assert.True(JsonPointer.TryParse("", out var pointer));
        Assert.True(pointer.IsRoot);
    }

    [Fact]
    public void TryParse_Tokens_SplitsOnSlash()
    {
        Assert.True(JsonPointer.TryParse("/a/0/", out var pointer));
        Assert.Equal(["a", "0", ""], pointer.Tokens);
        Assert.Equal("", pointer.Last);
        Assert.Equal("/a/0", pointer.Parent.Text);
    }

    [Theory]
    [InlineData("/a~1b", "a/b")]
    [InlineData("/m~0n", "m~n")]
    [InlineData("/~01", "~1")]
    [InlineData("/~10", "/0")]
    [InlineData("/~0~1", "~/")]
    public void TryParse_Escapes_DecodeInRfcOrder(string text, string token)
    {
        Assert.True(JsonPointer.TryParse(text, out var pointer));
        Assert.Equal(token, Assert.Single(pointer.Tokens));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/b")]
    [InlineData("/a~")]
    [InlineData("/a~2")]
    [InlineData("/~x")]
    public void TryParse_Invalid_ReturnsFalse(string text) => Assert.False(JsonPointer.TryParse(text, out _));

    [Theory]
    [InlineData("0", 0)]
    [InlineData("12", 12)]
    public void TryParseIndex_Digits_Parses(string token, int expected)
    {
        Assert.True(JsonPointer.TryParseIndex(token, out var index));
        Assert.Equal(expected, index);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("-")]
    [InlineData("-1")]
    [InlineData("1a")]
    [InlineData("99999999999")]
    public void TryParseIndex_NotAnIndex_ReturnsFalse(string token) => Assert.False(JsonPointer.TryParseIndex(token, out _));

    [Fact]
    public void IsProperPrefixOf_Child_IsTrue_Self_IsFalse()
    {
        var (a, child, sibling) = (Pointer("/a"), Pointer("/a/b"), Pointer("/ab"));

        Assert.True(a.IsProperPrefixOf(child));
        Assert.False(a.IsProperPrefixOf(a));
        Assert.False(a.IsProperPrefixOf(sibling));
    }

    static JsonPointer Pointer(string text) => JsonPointer.TryParse(text, out var pointer) ? pointer : throw new FormatException(text);
}
