using Latchkey.OAuth2.Server;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// The authorization-code, refresh-token and device-code grants: OpenIddict has validated the code or refresh token
/// (signature, single use, PKCE, redirect URI, client) and restored the principal consented to; it is
/// signed in again as is.
/// </summary>
public sealed class CodeAndRefreshGrants : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<HandleTokenRequestContext, CodeAndRefreshGrants>(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_100);

    public ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if ((context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType() || context.Request.IsDeviceCodeGrantType()) && context.Principal is { } principal)
            context.SignIn(principal);
        return default;
    }
}

/// <summary>
/// Hydra issues a refresh token when <c>offline_access</c> or its older name <c>offline</c> was granted;
/// OpenIddict knows only the first. Runs right after OpenIddict decided which tokens to issue.
/// </summary>
public sealed class OfflineScopeIssuesRefreshTokens : IOpenIddictServerHandler<ProcessSignInContext>
{
    public const string Offline = "offline";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ProcessSignInContext, OfflineScopeIssuesRefreshTokens>(OpenIddictServerHandlers.EvaluateGeneratedTokens.Descriptor.Order + 500);

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType == OpenIddictServerEndpointType.Token && !context.GenerateRefreshToken
            && (context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType() || context.Request.IsDeviceCodeGrantType())
            && context.Principal?.HasScope(Offline) == true)
            (context.GenerateRefreshToken, context.IncludeRefreshToken) = (true, true);
        return default;
    }
}
