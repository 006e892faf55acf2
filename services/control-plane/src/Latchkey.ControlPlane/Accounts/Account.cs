namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// A platform user who signs in to the console: not a project's end user. The id is the normalized
/// email address, so the primary key itself keeps email addresses unique.
/// </summary>
public sealed class Account
{
    public string Id { get; set; } = "";
    public Guid WorkspaceId { get; set; }
    public string PasswordHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
