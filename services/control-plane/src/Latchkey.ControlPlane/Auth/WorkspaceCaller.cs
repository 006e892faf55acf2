using System.Security.Claims;

namespace Latchkey.ControlPlane.Auth;

/// <summary>The workspace an authenticated request acts for, and the key it used.</summary>
internal sealed record WorkspaceCaller(Guid WorkspaceId, Guid KeyId)
{
    public const string WorkspaceClaim = "workspace_id";
    public const string KeyClaim = "key_id";

    /// <summary>The caller <see cref="WorkspaceKeyHandler"/> admitted; the workspace policy guards every route that asks.</summary>
    public static WorkspaceCaller Of(HttpContext http) =>
        http.User.FindFirstValue(WorkspaceClaim) is { } workspace && http.User.FindFirstValue(KeyClaim) is { } key
            ? new(Guid.Parse(workspace), Guid.Parse(key))
            : throw new InvalidOperationException("The route does not require the workspace policy.");
}
