using Latchkey.OAuth2.Server;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// RFC 7009 §2.1: the server verifies that the token was issued to the client making the revocation request
/// and refuses otherwise. OpenIddict lets any client revoke a token that names no audience, and lets an
/// audience revoke it too; fosite compares the token's client with the caller, always. We do as fosite:
/// the token stays valid and, as fosite's writer answers <c>unauthorized_client</c> on revocation, the caller
/// gets 200 (OpenIddict turns <c>invalid_token</c> into the RFC's empty 200), so a caller learns nothing
/// about tokens that are not its own.
/// </summary>
public sealed class RevokeOnlyOwnTokens : IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ValidateRevocationRequestContext, RevokeOnlyOwnTokens>(OpenIddictServerHandlers.Revocation.ValidateAuthorizedParty.Descriptor.Order + 1);

    public ValueTask HandleAsync(ValidateRevocationRequestContext context)
    {
        if (context.GenericTokenPrincipal is not { } principal) return default;
        var issuedTo = principal.GetClaim(Claims.ClientId) ?? principal.GetPresenters().FirstOrDefault();
        if (string.IsNullOrEmpty(context.ClientId) || issuedTo != context.ClientId)
            context.Reject(TokenErrors.NotIssuedToCaller);
        return default;
    }
}
