using System.Text.Json.Nodes;
using Latchkey.Cli.Output;
using Xunit;

namespace Latchkey.Cli.Tests.Output;

/// <summary><c>--format yaml</c>: the JSON document, as YAML, with every scalar on one line.</summary>
public sealed class YamlTextTests
{
    static string Yaml(string json)
    {
        using var writer = new StringWriter();
        YamlText.Write(writer, JsonNode.Parse(json));
        return writer.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void Object_NestedMapsAndIndentedLists()
    {
        var yaml = Yaml("""{"client_id":"c1","grant_types":["a","b"],"metadata":{"team":"x"}}""");

        // Sequence items may or may not be indented under their key: both are the same YAML.
        Assert.Matches("^client_id: c1\ngrant_types:\n( *)- a\n\\1- b\nmetadata:\n  team: x\n$", yaml);
    }

    [Fact]
    public void Scalars_KeepTheirJsonTypes()
    {
        var yaml = Yaml("""{"active":true,"exp":1700000000,"ratio":0.5,"sub":null,"port":"4430"}""");

        Assert.Contains("active: true\n", yaml);
        Assert.Contains("exp: 1700000000\n", yaml);
        Assert.Contains("ratio: 0.5\n", yaml);
        Assert.Contains("sub: \n", yaml.Replace("sub: null", "sub: ", StringComparison.Ordinal));
        // A string that looks like a number is quoted, so it reads back as a string.
        Assert.Contains("port: \"4430\"\n", yaml);
    }

    [Fact]
    public void LongString_IsNotFolded()
    {
        var token = string.Join(' ', Enumerable.Repeat("word", 100));

        var yaml = Yaml($$"""{"token":"{{token}}"}""");

        Assert.Equal($"token: {token}\n", yaml);
    }

    [Fact]
    public void Array_AtTheTop_IsASequence()
    {
        Assert.Equal("- 1\n- two\n", Yaml("""[1,"two"]"""));
    }

    [Fact]
    public void NullDocument_IsAnEmptyMap()
    {
        using var writer = new StringWriter();
        YamlText.Write(writer, null);

        Assert.Equal("{}", writer.ToString().Trim());
    }
}
