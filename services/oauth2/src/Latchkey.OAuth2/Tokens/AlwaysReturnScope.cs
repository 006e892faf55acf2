using Latchkey.OAuth2.Server;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// OpenIddict omits <c>scope</c> from a token response when the granted scopes equal the requested ones
/// (RFC 6749 allows it); Hydra always returns it, and Hydra clients read it. When it is omitted, the
/// requested scope is by definition the granted one.
/// </summary>
public sealed class AlwaysReturnScope : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ApplyTokenResponseContext, AlwaysReturnScope>(
        // First, before the first built-in: the response as the grant left it, before usage counting reads it.
        OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order - 2_000);

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Response.AccessToken is not null && context.Response.Scope is null && !string.IsNullOrEmpty(context.Request?.Scope))
            context.Response.Scope = context.Request.Scope;
        return default;
    }
}
