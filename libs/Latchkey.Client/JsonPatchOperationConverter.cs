using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>
/// Writes <c>value</c> exactly for the operations that take one, so that replacing with <c>null</c>
/// still sends <c>"value": null</c> while <c>remove</c> sends no value at all.
/// </summary>
sealed class JsonPatchOperationConverter : JsonConverter<JsonPatchOperation>
{
    public override JsonPatchOperation? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("A JSON Patch operation must be an object.");
        return new JsonPatchOperation(
            node["op"]?.GetValue<string>() ?? throw new JsonException("A JSON Patch operation needs \"op\"."),
            node["path"]?.GetValue<string>() ?? throw new JsonException("A JSON Patch operation needs \"path\"."),
            node["value"]?.DeepClone(),
            node["from"]?.GetValue<string>());
    }

    public override void Write(Utf8JsonWriter writer, JsonPatchOperation value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("op", value.Op);
        writer.WriteString("path", value.Path);
        if (value.From is not null)
            writer.WriteString("from", value.From);
        if (value.HasValue)
        {
            writer.WritePropertyName("value");
            if (value.Value is null)
                writer.WriteNullValue();
            else
                value.Value.WriteTo(writer, options);
        }
        writer.WriteEndObject();
    }
}
