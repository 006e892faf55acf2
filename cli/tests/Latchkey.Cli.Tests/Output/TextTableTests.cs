using Latchkey.Cli.Output;
using Xunit;

namespace Latchkey.Cli.Tests.Output;

/// <summary>Borderless, uncoloured, never-wrapped tables: what a terminal user copies tokens from.</summary>
public sealed class TextTableTests
{
    static string[] Lines(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void WriteList_AlignsColumnsUnderTheirHeaders()
    {
        var lines = Lines(w => TextTable.WriteList(w, ["ID", "NAME"], [["1", "first"], ["22", "second"]]));

        Assert.Equal(["ID   NAME", "1    first", "22   second"], lines);
    }

    [Fact]
    public void WriteList_EmptyOrNullCell_ShowsNone()
    {
        var lines = Lines(w => TextTable.WriteList(w, ["A", "B"], [[null, ""]]));

        Assert.Equal("<none>   <none>", lines[1]);
    }

    [Fact]
    public void WriteItem_IsKeyValueWithoutHeader()
    {
        var lines = Lines(w => TextTable.WriteItem(w, [new("ACCESS TOKEN", "lk_at_1"), new("ID TOKEN", null)]));

        Assert.Equal(["ACCESS TOKEN   lk_at_1", "ID TOKEN       <none>"], lines);
    }

    [Fact]
    public void LongValue_StaysOnOneLine()
    {
        var token = new string('x', 2_000);

        var lines = Lines(w => TextTable.WriteItem(w, [new("TOKEN", token)]));

        Assert.Equal($"TOKEN   {token}", Assert.Single(lines));
    }

    [Fact]
    public void MultiLineValue_IsJoinedIntoOneLine()
    {
        var lines = Lines(w => TextTable.WriteList(w, ["NOTE"], [["one\ntwo"]]));

        Assert.Equal(["NOTE", "one two"], lines);
    }

    [Fact]
    public void MarkupCharacters_ArePrintedAsGiven()
    {
        var lines = Lines(w => TextTable.WriteItem(w, [new("SCOPE", "[bold]read[/] write")]));

        Assert.Equal("SCOPE   [bold]read[/] write", Assert.Single(lines));
    }
}
