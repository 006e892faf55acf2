using System.Text.Json.Nodes;

namespace Latchkey.Console.Platform;

/// <summary>One day of usage: tokens issued by grant type, admin API calls, active clients, distinct end-user subjects.</summary>
public sealed record UsageDay(DateOnly Date, IReadOnlyDictionary<string, long> Tokens, long TokensTotal, long AdminCalls, long ActiveClients, long DistinctSubjects)
{
    public static UsageDay? Parse(JsonObject day)
    {
        if (UsageReport.Date(day["date"]) is not { } date) return null;
        var tokens = (day["tokens"] as JsonObject ?? [])
            .Where(p => p.Value is JsonValue)
            .ToDictionary(p => p.Key, p => Number(p.Value));
        var total = day["tokens_total"] is null ? tokens.Values.Sum() : Number(day["tokens_total"]);
        return new UsageDay(date, tokens, total, Number(day["admin_calls"]), Number(day["active_clients"]), Number(day["distinct_subjects"]));
    }

    static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var n) ? n : 0;
}
