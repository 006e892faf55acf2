using Microsoft.AspNetCore.Authentication;

namespace Latchkey.OAuth2.Admin;

/// <summary>
/// The one authentication scheme of the oauth2 service, <see cref="AdminKeyHandler"/>, and the policy that
/// puts it in front of every <c>/admin</c> endpoint. Nothing else authenticates through it: OpenIddict's
/// endpoints authenticate their clients themselves.
/// </summary>
public static class AdminAuthentication
{
    public const string Scheme = "AdminKey";
    public const string Policy = "Admin";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, AdminKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }
}
