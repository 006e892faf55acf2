namespace Latchkey.ControlPlane.Auth;

/// <summary>The workspace an authenticated request acts for, and the key it used.</summary>
internal sealed record WorkspaceCaller(Guid WorkspaceId, Guid KeyId)
{
    /// <summary>The caller <see cref="WorkspaceAuthFilter"/> admitted; it guards every route that asks.</summary>
    public static WorkspaceCaller Of(HttpContext http) =>
        http.Features.Get<WorkspaceCaller>() ?? throw new InvalidOperationException("The route is not behind WorkspaceAuthFilter.");
}
