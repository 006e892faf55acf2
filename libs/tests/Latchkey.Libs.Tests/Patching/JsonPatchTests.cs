using System.Text.Json.Nodes;
using Latchkey.ServiceDefaults.Patching;
using Xunit;

namespace Latchkey.Libs.Tests.Patching;

public sealed class JsonPatchTests
{
    static JsonNode? Patch(string document, string patch)
    {
        var (operations, parseError) = JsonPatch.Parse(JsonNode.Parse(patch));
        Assert.Null(parseError);
        var (result, error) = JsonPatch.Apply(JsonNode.Parse(document), operations!);
        Assert.Null(error);
        return result;
    }

    static string? Failure(string document, string patch)
    {
        var (operations, parseError) = JsonPatch.Parse(JsonNode.Parse(patch));
        if (parseError is not null) return parseError;
        return JsonPatch.Apply(JsonNode.Parse(document), operations!).Error;
    }

    static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString()}");

    [Fact]
    public void Add_NewMember_AddsIt() =>
        AssertJson("""{"a":1,"b":2}""", Patch("""{"a":1}""", """[{"op":"add","path":"/b","value":2}]"""));

    [Fact]
    public void Add_ExistingMember_ReplacesIt() =>
        AssertJson("""{"a":2}""", Patch("""{"a":1}""", """[{"op":"add","path":"/a","value":2}]"""));

    [Fact]
    public void Add_ArrayIndex_InsertsBeforeIt() =>
        AssertJson("""{"a":[1,9,2]}""", Patch("""{"a":[1,2]}""", """[{"op":"add","path":"/a/1","value":9}]"""));

    [Fact]
    public void Add_Dash_Appends() =>
        AssertJson("""{"a":[1,2,3]}""", Patch("""{"a":[1,2]}""", """[{"op":"add","path":"/a/-","value":3}]"""));

    [Fact]
    public void Add_IndexPastEnd_Fails() =>
        Assert.NotNull(Failure("""{"a":[1]}""", """[{"op":"add","path":"/a/5","value":3}]"""));

    [Fact]
    public void Add_MissingParent_Fails() =>
        Assert.NotNull(Failure("""{}""", """[{"op":"add","path":"/x/y","value":1}]"""));

    [Fact]
    public void Add_Root_ReplacesDocument() =>
        AssertJson("""[1]""", Patch("""{"a":1}""", """[{"op":"add","path":"","value":[1]}]"""));

    [Fact]
    public void Add_NullValue_IsKept() =>
        AssertJson("""{"a":null}""", Patch("""{}""", """[{"op":"add","path":"/a","value":null}]"""));

    [Fact]
    public void Remove_Member_RemovesIt() =>
        AssertJson("""{"b":2}""", Patch("""{"a":1,"b":2}""", """[{"op":"remove","path":"/a"}]"""));

    [Fact]
    public void Remove_ArrayElement_ShiftsTheRest() =>
        AssertJson("""[1,3]""", Patch("""[1,2,3]""", """[{"op":"remove","path":"/1"}]"""));

    [Fact]
    public void Remove_Missing_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"remove","path":"/b"}]"""));

    [Fact]
    public void Remove_Root_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"remove","path":""}]"""));

    [Fact]
    public void Replace_Member_ReplacesIt() =>
        AssertJson("""{"a":{"x":1}}""", Patch("""{"a":1}""", """[{"op":"replace","path":"/a","value":{"x":1}}]"""));

    [Fact]
    public void Replace_ArrayElement_ReplacesIt() =>
        AssertJson("""[1,9]""", Patch("""[1,2]""", """[{"op":"replace","path":"/1","value":9}]"""));

    [Fact]
    public void Replace_Missing_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"replace","path":"/b","value":2}]"""));

    [Fact]
    public void Move_Member_RemovesFromAndAddsAtPath() =>
        AssertJson("""{"b":{"c":1}}""", Patch("""{"a":1,"b":{}}""", """[{"op":"move","from":"/a","path":"/b/c"}]"""));

    [Fact]
    public void Move_ArrayElement_MovesIt() =>
        AssertJson("""[2,3,1]""", Patch("""[1,2,3]""", """[{"op":"move","from":"/0","path":"/-"}]"""));

    [Fact]
    public void Move_IntoOwnChild_Fails() =>
        Assert.NotNull(Failure("""{"a":{"b":1}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]"""));

    [Fact]
    public void Move_ToItself_ChangesNothing() =>
        AssertJson("""{"a":1}""", Patch("""{"a":1}""", """[{"op":"move","from":"/a","path":"/a"}]"""));

    [Fact]
    public void Move_MissingFrom_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"move","from":"/x","path":"/y"}]"""));

    [Fact]
    public void Copy_Member_CopiesADeepCopy()
    {
        var result = Patch("""{"a":{"x":1}}""", """[{"op":"copy","from":"/a","path":"/b"},{"op":"replace","path":"/b/x","value":2}]""");

        AssertJson("""{"a":{"x":1},"b":{"x":2}}""", result);
    }

    [Fact]
    public void Copy_MissingFrom_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"copy","from":"/x","path":"/y"}]"""));

    [Fact]
    public void Test_EqualValue_Passes() =>
        AssertJson("""{"a":[1,{"b":null}]}""", Patch("""{"a":[1,{"b":null}]}""", """[{"op":"test","path":"/a","value":[1,{"b":null}]}]"""));

    [Fact]
    public void Test_DifferentValue_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"test","path":"/a","value":"1"}]"""));

    [Fact]
    public void Test_Missing_Fails() =>
        Assert.NotNull(Failure("""{"a":1}""", """[{"op":"test","path":"/b","value":1}]"""));

    [Fact]
    public void Apply_EscapedTokens_ReachSlashAndTildeKeys() =>
        AssertJson("""{"a/b":2,"m~n":3}""",
            Patch("""{"a/b":1,"m~n":1}""", """[{"op":"replace","path":"/a~1b","value":2},{"op":"replace","path":"/m~0n","value":3}]"""));

    [Fact]
    public void Apply_LaterOperationFails_LeavesDocumentUntouched()
    {
        var document = JsonNode.Parse("""{"a":1}""");
        var (operations, _) = JsonPatch.Parse(JsonNode.Parse("""[{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/missing"}]"""));

        var (result, error) = JsonPatch.Apply(document, operations!);

        Assert.Null(result);
        Assert.Contains("Operation 1", error);
        AssertJson("""{"a":1}""", document);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""")]
    [InlineData("""[{"op":"frobnicate","path":"/a"}]""")]
    [InlineData("""[{"path":"/a","value":1}]""")]
    [InlineData("""[{"op":"add","value":1}]""")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"move","path":"/a"}]""")]
    [InlineData("""[{"op":"copy","path":"/a","from":"x"}]""")]
    [InlineData("""[{"op":"remove","path":"/a~2"}]""")]
    [InlineData("""[1]""")]
    public void Parse_MalformedPatch_ReturnsError(string patch)
    {
        var (operations, error) = JsonPatch.Parse(JsonNode.Parse(patch));

        Assert.Null(operations);
        Assert.NotNull(error);
    }

    [Fact]
    public void Parse_MoveAndCopy_KeepFrom()
    {
        var (operations, _) = JsonPatch.Parse(JsonNode.Parse("""[{"op":"move","from":"/a","path":"/b"},{"op":"test","path":"/b","value":1}]"""));

        Assert.Equal("/a", operations![0].From!.Text);
        Assert.True(operations[0].Writes);
        Assert.False(operations[1].Writes);
    }
}
