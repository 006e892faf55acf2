using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Client;

namespace Latchkey.Cli.Output;

/// <summary>
/// Prints results the way the Ory CLI does: <c>-q</c> prints only identifiers, <c>json</c> is one compact line,
/// <c>json-pretty</c> is indented, <c>yaml</c> mirrors the JSON, and <c>table</c> prints a vertical table for one
/// item and a horizontal one for a list. JSON and YAML carry the API's own snake_case documents.
/// </summary>
sealed class Printer(TextWriter stdout, OutputFormat format, bool quiet)
{
    static readonly JsonSerializerOptions Compact = new(LatchkeyJson.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    public void Item<T>(T value, IReadOnlyList<KeyValuePair<string, string?>> fields, string? id)
    {
        if (quiet)
        {
            if (!string.IsNullOrEmpty(id))
                stdout.WriteLine(id);
            return;
        }
        if (format == OutputFormat.Table)
            TextTable.WriteItem(stdout, fields);
        else
            Document(value);
    }

    public void List<T>(IReadOnlyList<T> values, IReadOnlyList<string> headers, Func<T, IReadOnlyList<string?>> columns, Func<T, string?> id)
    {
        if (quiet)
        {
            foreach (var value in values)
                if (id(value) is { Length: > 0 } identifier)
                    stdout.WriteLine(identifier);
            return;
        }
        if (format == OutputFormat.Table)
            TextTable.WriteList(stdout, headers, values.Select(columns));
        else
            Document(values);
    }

    /// <summary>Identifiers of things acted on (deleted, revoked): one per line, or a JSON/YAML list.</summary>
    public void Ids(IReadOnlyList<string> ids)
    {
        if (quiet || format == OutputFormat.Table)
        {
            foreach (var id in ids)
                stdout.WriteLine(id);
            return;
        }
        Document(ids);
    }

    void Document<T>(T value)
    {
        switch (format)
        {
            case OutputFormat.Yaml:
                YamlText.Write(stdout, JsonSerializer.SerializeToNode(value, Compact));
                break;
            case OutputFormat.JsonPretty:
                stdout.WriteLine(JsonSerializer.Serialize(value, Indented));
                break;
            default:
                stdout.WriteLine(JsonSerializer.Serialize(value, Compact));
                break;
        }
    }

    public static string Join(IEnumerable<string>? values) => values is null ? "" : string.Join(", ", values);

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "";

    public static string UnixTime(long? seconds) =>
        seconds is { } s ? Time(DateTimeOffset.FromUnixTimeSeconds(s)) : "";

    public static string Warning(JsonNode? warning) => warning switch
    {
        JsonObject obj when obj["message"] is JsonValue message => message.ToString(),
        JsonValue value => value.ToString(),
        _ => warning?.ToJsonString() ?? "",
    };
}
