using System.Text.Json.Nodes;

namespace Latchkey.Console.Platform;

/// <summary>The project's plan from the usage answer: its name, monthly token quota (null: none) and this month's tokens.</summary>
public sealed record UsagePlan(string? Name, long? MonthlyTokenQuota, long TokensThisMonth)
{
    public static UsagePlan? Parse(JsonObject? plan) => plan is null ? null : new(
        plan["name"] is JsonValue n && n.TryGetValue<string>(out var name) ? name : null,
        plan["monthly_token_quota"] is JsonValue q && q.TryGetValue<long>(out var quota) ? quota : null,
        plan["tokens_this_month"] is JsonValue t && t.TryGetValue<long>(out var tokens) ? tokens : 0);
}
