using System.Collections.Immutable;
using Latchkey.OAuth2.Server;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Credentials;

/// <summary>The verifiable credentials feature's part in OpenIddict's pipeline.</summary>
public static class CredentialHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ApplyTokenResponseContext
        AttachCredentialNonce.Descriptor,
    ];

    /// <summary>
    /// Hydra's <c>fosite/handler/verifiable</c>: a token response whose granted scope has both <c>openid</c> and
    /// <c>userinfo_credential_draft_00</c> carries a nonce for the credential proof, <c>c_nonce_draft_00</c>, and
    /// its lifetime in seconds, <c>c_nonce_expires_in_draft_00</c>, for whichever grant issued the access token.
    /// </summary>
    public sealed class AttachCredentialNonce(CredentialNonces nonces) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyTokenResponseContext, AttachCredentialNonce>(
            // Right after AlwaysReturnScope, which makes sure the granted scope is in the response.
            Tokens.AlwaysReturnScope.Descriptor.Order + 1);

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (context.Response.AccessToken is not { } accessToken || !GrantsCredentials(context.Response.Scope)) return default;
            context.Response["c_nonce_draft_00"] = nonces.Issue(accessToken);
            context.Response["c_nonce_expires_in_draft_00"] = (long)nonces.Lifespan.TotalSeconds;
            return default;
        }
    }

    /// <summary>Whether a space-separated scope has both scopes Hydra asks for.</summary>
    public static bool GrantsCredentials(string? scope) =>
        scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { } scopes && scopes.Contains(Scopes.OpenId) && scopes.Contains(CredentialNonces.Scope);
}
