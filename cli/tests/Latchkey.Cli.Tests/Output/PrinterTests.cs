using System.Text.Json.Nodes;
using Latchkey.Cli.Output;
using Latchkey.Client;
using Xunit;

namespace Latchkey.Cli.Tests.Output;

/// <summary>The Ory CLI's output rules: <c>-q</c> ids only, one-line JSON, indented JSON, YAML, tables.</summary>
public sealed class PrinterTests
{
    static readonly Project Sample = new() { Id = "p-1", Slug = "brave-fox", Name = "Demo", Environment = "dev", State = "running" };

    static string Print(OutputFormat format, bool quiet, Action<Printer> print)
    {
        using var stdout = new StringWriter();
        print(new Printer(stdout, format, quiet));
        return stdout.ToString().ReplaceLineEndings("\n");
    }

    static void Item(Printer p) => p.Item(Sample, ProjectView.Fields(Sample, "http://brave-fox.projects.localhost:4430"), Sample.Id);

    static void List(Printer p) => p.List([Sample, Sample with { Id = "p-2", Name = "Other" }], ProjectView.Headers, ProjectView.Columns, x => x.Id);

    [Fact]
    public void Item_Json_IsOneSnakeCaseLine()
    {
        var text = Print(OutputFormat.Json, false, Item);

        Assert.Single(text.TrimEnd('\n').Split('\n'));
        var json = JsonNode.Parse(text)!;
        Assert.Equal("brave-fox", json["slug"]!.GetValue<string>());
        Assert.Equal("dev", json["environment"]!.GetValue<string>());
    }

    [Fact]
    public void Item_JsonPretty_IsIndentedAndTheSameDocument()
    {
        var pretty = Print(OutputFormat.JsonPretty, false, Item);
        var compact = Print(OutputFormat.Json, false, Item);

        Assert.Contains("\n  \"id\": \"p-1\"", pretty);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(compact), JsonNode.Parse(pretty)));
    }

    [Fact]
    public void Item_Yaml_MirrorsTheJson()
    {
        var text = Print(OutputFormat.Yaml, false, Item);

        Assert.Contains("id: p-1\n", text);
        Assert.Contains("slug: brave-fox\n", text);
        Assert.DoesNotContain("{", text);
    }

    [Fact]
    public void Item_Table_IsKeyValueLinesWithTheIssuer()
    {
        var lines = Print(OutputFormat.Table, false, Item).TrimEnd('\n').Split('\n');

        Assert.Equal(6, lines.Length);
        Assert.Matches("^ID +p-1$", lines[0]);
        Assert.Matches("^ISSUER URL +http://brave-fox.projects.localhost:4430$", lines[5]);
    }

    [Theory]
    [InlineData(nameof(OutputFormat.Table))]
    [InlineData(nameof(OutputFormat.Json))]
    [InlineData(nameof(OutputFormat.Yaml))]
    public void Quiet_AnyFormat_PrintsOnlyTheIds(string formatName)
    {
        var format = Enum.Parse<OutputFormat>(formatName);
        Assert.Equal("p-1\n", Print(format, true, Item));
        Assert.Equal("p-1\np-2\n", Print(format, true, List));
    }

    [Fact]
    public void Quiet_ItemWithoutId_PrintsNothing()
    {
        Assert.Equal("", Print(OutputFormat.Table, true, p => p.Item(Sample, [], null)));
    }

    [Fact]
    public void List_Table_HasAHeaderRowAndOneRowEach()
    {
        var lines = Print(OutputFormat.Table, false, List).TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Matches("^ID +NAME +ENVIRONMENT +SLUG +STATE$", lines[0]);
        Assert.Matches("^p-2 +Other +dev +brave-fox +running$", lines[2]);
    }

    [Fact]
    public void List_Json_IsOneArray()
    {
        var json = JsonNode.Parse(Print(OutputFormat.Json, false, List))!.AsArray();

        Assert.Equal(["p-1", "p-2"], json.Select(p => p!["id"]!.GetValue<string>()));
    }

    [Fact]
    public void Ids_TableOrJson_OnePerLineOrAList()
    {
        Assert.Equal("a\nb\n", Print(OutputFormat.Table, false, p => p.Ids(["a", "b"])));
        Assert.Equal("[\"a\",\"b\"]\n", Print(OutputFormat.Json, false, p => p.Ids(["a", "b"])));
        Assert.Equal("- a\n- b\n", Print(OutputFormat.Yaml, false, p => p.Ids(["a", "b"])));
    }

    [Fact]
    public void Json_UrlsAndPlusSigns_AreNotEscaped()
    {
        var text = Print(OutputFormat.Json, false, p => p.Item(new { redirect = "http://x/cb?a=1&b=2", secret = "a+b<c" }, [], null));

        Assert.Equal("{\"redirect\":\"http://x/cb?a=1&b=2\",\"secret\":\"a+b<c\"}\n", text);
    }

    [Fact]
    public void Time_IsUtcToTheSecond_AndUnixTimeTheSame()
    {
        Assert.Equal("2026-01-02T03:04:05Z", Printer.Time(new DateTimeOffset(2026, 1, 2, 4, 4, 5, TimeSpan.FromHours(1))));
        Assert.Equal("1970-01-01T00:01:40Z", Printer.UnixTime(100));
        Assert.Equal("", Printer.Time(null));
        Assert.Equal("", Printer.UnixTime(null));
    }

    [Fact]
    public void Warning_MessageObjectOrPlainValue_IsItsText()
    {
        Assert.Equal("mind the gap", Printer.Warning(JsonNode.Parse("""{"message":"mind the gap","code":1}""")));
        Assert.Equal("plain", Printer.Warning(JsonValue.Create("plain")));
        Assert.Equal("""{"code":1}""", Printer.Warning(JsonNode.Parse("""{"code":1}""")));
        Assert.Equal("", Printer.Warning(null));
    }
}
