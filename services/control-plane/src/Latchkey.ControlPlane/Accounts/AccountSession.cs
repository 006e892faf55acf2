namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// Which account a console session key belongs to (the key itself only names its workspace): so a session can
/// prove its owner with the password, and deleting an account can revoke its sessions. The id is the key's id.
/// </summary>
public sealed class AccountSession
{
    public Guid Id { get; set; }
    public string AccountId { get; set; } = "";
    public Guid WorkspaceId { get; set; }
}
