using System.Text.Json;
using System.Text.Json.Serialization;

namespace Latchkey.Client;

/// <summary>The JSON conventions of every Latchkey and Hydra API: snake_case names, nulls omitted.</summary>
public static class LatchkeyJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
        Converters = { new UtcTimestampConverter() },
    };
}
