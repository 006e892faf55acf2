using Microsoft.AspNetCore.Authentication;

namespace Latchkey.ControlPlane.Auth;

/// <summary>
/// The control plane's one API authentication scheme, <see cref="WorkspaceKeyHandler"/>, and the policy that
/// puts it in front of every <c>/projects</c> endpoint and the workspace's account list.
/// </summary>
internal static class WorkspaceAuthentication
{
    public const string Scheme = "WorkspaceKey";
    public const string Policy = "Workspace";

    public static IServiceCollection AddWorkspaceAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, WorkspaceKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }
}
