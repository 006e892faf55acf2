namespace Latchkey.ControlPlane.Accounts;

/// <summary>The answer to <c>POST /accounts/sessions</c>: the session's workspace key, shown this once.</summary>
internal sealed record SessionJson(Guid WorkspaceId, string Value, DateTimeOffset ExpiresAt);
