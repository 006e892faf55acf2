using Latchkey.OAuth2.Server;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Hydra holds a client to the <c>token_endpoint_auth_method</c> it registered: a client_secret_basic
/// client may not send its secret in the body, nor the reverse, and only a private_key_jwt client authenticates
/// with a client assertion. OpenIddict accepts any of them.
/// </summary>
public sealed class ClientAuthMethodCheck(ClientStore clients) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    /// <summary>Right after OpenIddict authenticated the client, so a wrong secret is <c>invalid_client</c> whatever the method.</summary>
    public static OpenIddictServerHandlerDescriptor AtTokenEndpoint { get; } =
        Handler.Scoped<ValidateTokenRequestContext, ClientAuthMethodCheck>(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order + 1);

    public static OpenIddictServerHandlerDescriptor AtRevocationEndpoint { get; } =
        Handler.Scoped<ValidateRevocationRequestContext, ClientAuthMethodCheck>(OpenIddictServerHandlers.Revocation.ValidateAuthentication.Descriptor.Order + 1);

    public ValueTask HandleAsync(ValidateTokenRequestContext context) => CheckAsync(context, context.ClientId);

    public ValueTask HandleAsync(ValidateRevocationRequestContext context) => CheckAsync(context, context.ClientId);

    async ValueTask CheckAsync(BaseValidatingContext context, string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || context.Transaction.GetHttpRequest() is not { } http) return;
        if (await clients.FindAsync(clientId, context.CancellationToken) is not { } client) return;

        var used = !string.IsNullOrEmpty(context.Transaction.Request?.ClientAssertion) ? "private_key_jwt"
            : http.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? "client_secret_basic"
            : !string.IsNullOrEmpty(context.Transaction.Request?.ClientSecret) ? "client_secret_post"
            : "none";
        if (used != client.TokenEndpointAuthMethod)
        {
            context.Reject(ClientErrors.WrongAuthMethod(client.TokenEndpointAuthMethod, used));
        }
    }
}
