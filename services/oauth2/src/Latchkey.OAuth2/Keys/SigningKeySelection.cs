using Latchkey.OAuth2.Server;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using Builtin = OpenIddict.Server.OpenIddictServerHandlers.Protection;

namespace Latchkey.OAuth2.Keys;

/// <summary>
/// Picks the key that signs each token, right after OpenIddict's own choice, which knows nothing of key sets
/// (and sorts symmetric keys first): ID tokens get the newest key of <c>hydra.openid.id-token</c>, self-contained
/// (JWT) access tokens the newest of <c>hydra.jwt.access-token</c>, and everything only this service reads
/// (stored payloads of opaque tokens) the project's derived HMAC key. One instance per project's options.
/// </summary>
public sealed class SigningKeySelection(SigningCredentials idToken, SigningCredentials accessToken, SigningCredentials payload)
    : IOpenIddictServerHandler<GenerateTokenContext>
{
    /// <summary>After OpenIddict's choice and <see cref="Tokens.AccessTokenStrategy"/>'s (whether an access token is a JWT).</summary>
    public OpenIddictServerHandlerDescriptor Descriptor =>
        Handler.Instance<GenerateTokenContext, SigningKeySelection>(this, Builtin.AttachSecurityCredentials.Descriptor.Order + 500);

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        var selfContainedAccessToken = context.TokenType == TokenTypeIdentifiers.AccessToken && !context.IsReferenceToken;
        context.SigningCredentials = context.TokenType == TokenTypeIdentifiers.IdentityToken ? idToken
            : selfContainedAccessToken ? accessToken
            : payload;
        // A JWT access token is for resource servers to verify, so it is signed, never encrypted.
        if (selfContainedAccessToken) context.EncryptionCredentials = null;
        return default;
    }
}
