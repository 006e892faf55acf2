using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Latchkey.Cli.Output;

/// <summary>Renders the same document <c>--format json</c> prints as YAML.</summary>
static class YamlText
{
    const int UnboundedWidth = 100_000;

    static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    public static void Write(TextWriter writer, JsonNode? document)
    {
        // YamlDotNet folds long scalars at 80 columns by default; tokens and URLs must stay on one line.
        Serializer.Serialize(new Emitter(writer, 2, UnboundedWidth), ToPlain(document) ?? new Dictionary<string, object?>());
    }

    static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray array => array.Select(ToPlain).ToList(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(JsonSerializer.SerializeToElement(value)),
            _ => null,
        },
        _ => null,
    };

    static object Number(JsonElement number) =>
        number.TryGetInt64(out var l) ? l : number.TryGetDecimal(out var d) ? d : number.GetDouble();
}
