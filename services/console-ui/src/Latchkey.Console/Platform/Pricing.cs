using System.Globalization;

namespace Latchkey.Console.Platform;

/// <summary>
/// The list prices behind the estimated invoice, from configuration: <c>LATCHKEY_PLAN_NAME</c>,
/// <c>LATCHKEY_PLAN_MONTHLY_TOKENS</c> (the quota), <c>LATCHKEY_PLAN_BASE_PRICE</c> per month,
/// <c>LATCHKEY_PRICE_PER_1000_TOKENS</c> beyond what the plan includes and <c>LATCHKEY_PRICE_CURRENCY</c>.
/// </summary>
public sealed record Pricing(string Plan, long MonthlyTokens, decimal BasePrice, decimal PricePer1000Tokens, string Currency)
{
    public static Pricing From(IConfiguration config) => new(
        config["LATCHKEY_PLAN_NAME"] ?? "Developer",
        long.TryParse(config["LATCHKEY_PLAN_MONTHLY_TOKENS"], CultureInfo.InvariantCulture, out var quota) ? quota : 100_000,
        Decimal(config["LATCHKEY_PLAN_BASE_PRICE"], 0m),
        Decimal(config["LATCHKEY_PRICE_PER_1000_TOKENS"], 0.50m),
        config["LATCHKEY_PRICE_CURRENCY"] ?? "USD");

    /// <summary>The invoice for a month with <paramref name="tokens"/> tokens: the base price plus every started thousand above the quota.</summary>
    public decimal Estimate(long tokens) => BasePrice + Math.Ceiling(Math.Max(0, tokens - MonthlyTokens) / 1000m) * PricePer1000Tokens;

    /// <summary>These prices under the plan the control plane reports (its name and quota win over configuration).</summary>
    public Pricing For(UsagePlan? plan) => plan is null ? this : this with
    {
        Plan = string.IsNullOrWhiteSpace(plan.Name) ? Plan : char.ToUpperInvariant(plan.Name[0]) + plan.Name[1..],
        MonthlyTokens = plan.MonthlyTokenQuota ?? long.MaxValue,
    };

    public string Money(decimal amount) => string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {Currency}");

    static decimal Decimal(string? text, decimal fallback) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
