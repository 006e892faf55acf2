using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Console.Platform;

/// <summary>One minute of one endpoint: requests, 5xx errors, 4xx answers, requests per second, error rate and p99 (null: no requests).</summary>
public sealed record OpsMinute(DateTimeOffset Minute, long Requests, long Errors, long ClientErrors, double Rps, double ErrorRate, int? P99Ms);

/// <summary>An endpoint's minutes over the window and its totals.</summary>
public sealed record OpsEndpoint(string Name, string Path, IReadOnlyList<OpsMinute> Series, OpsMinute Totals)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Label(int index) => Series[index].Minute.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A Chart.js line chart (see <c>charts.js</c>) of one value per minute.</summary>
    public string Chart(string label, Func<OpsMinute, double?> value, bool decimals) => JsonSerializer.Serialize(new
    {
        type = "line",
        decimals,
        labels = Series.Select((_, i) => Label(i)),
        datasets = new[] { new { label, data = Series.Select(value) } },
    }, Json);
}

/// <summary><c>GET /projects/{id}/ops</c>: the last hour of the token, introspection and authorization endpoints.</summary>
public sealed record OpsReport(DateTimeOffset From, DateTimeOffset To, bool Available, IReadOnlyList<OpsEndpoint> Endpoints)
{
    static readonly (string Name, string Path)[] Known = [("token", "/oauth2/token"), ("introspection", "/admin/oauth2/introspect"), ("authorization", "/oauth2/auth")];

    public static OpsReport? Parse(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject root || root["endpoints"] is not JsonObject endpoints) return null;
        var list = Known.Select(k => endpoints[k.Name] is JsonObject e
            ? new OpsEndpoint(k.Name, k.Path, (e["series"] as JsonArray ?? []).OfType<JsonObject>().Select(Minute).ToList(), Minute(e["totals"] as JsonObject ?? []))
            : new OpsEndpoint(k.Name, k.Path, [], Minute([]))).ToList();
        return new OpsReport(Time(root["from"]), Time(root["to"]), root["available"] is not JsonValue a || !a.TryGetValue<bool>(out var available) || available, list);
    }

    static OpsMinute Minute(JsonObject m) => new(
        Time(m["minute"]), Long(m["requests"]), Long(m["errors"]), Long(m["client_errors"]), Double(m["rps"]), Double(m["error_rate"]),
        m["p99_ms"] is JsonValue p && p.TryGetValue<int>(out var p99) ? p99 : null);

    static DateTimeOffset Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : default;

    static long Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;

    static double Double(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var n) ? n : 0;
}
