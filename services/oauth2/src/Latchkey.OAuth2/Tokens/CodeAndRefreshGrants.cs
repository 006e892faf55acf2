using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// The authorization-code and refresh-token grants: OpenIddict has validated the code or refresh token
/// (signature, single use, PKCE, redirect URI, client) and restored the principal consented to; it is
/// signed in again as is.
/// </summary>
public sealed class CodeAndRefreshGrants : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleTokenRequestContext>()
        .UseSingletonHandler<CodeAndRefreshGrants>()
        .SetOrder(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if ((context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType()) && context.Principal is { } principal)
            context.SignIn(principal);
        return default;
    }
}
