namespace Latchkey.ControlPlane.Accounts;

/// <summary>An account as <c>GET /accounts</c> lists it: never its password hash.</summary>
internal sealed record AccountJson(string Id, string Email, DateTimeOffset CreatedAt)
{
    public static AccountJson From(Account account) => new(account.Id, account.Id, account.CreatedAt);
}
