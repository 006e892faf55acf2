using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// A grant the client is not registered for is <c>unauthorized_client</c> before the grant's own parameters
/// are looked at, as in fosite (each grant handler checks the client's grant types first). OpenIddict checks
/// grant permissions only after validating the code or refresh token (in <c>ValidateAuthentication</c>), so a
/// client_credentials client sending <c>grant_type=refresh_token</c> got <c>invalid_grant</c>. This runs
/// right after the <c>client_id</c> is known and before the first grant parameter check. An unknown client
/// is left to OpenIddict's client authentication (<c>invalid_client</c>).
/// </summary>
public sealed class GrantTypeCheck(ClientStore clients) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
        .UseScopedHandler<GrantTypeCheck>()
        .SetOrder(OpenIddictServerHandlers.Exchange.ValidateClientIdParameter.Descriptor.Order + 500)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var grant = context.Request.GrantType;
        if (string.IsNullOrEmpty(context.ClientId) || string.IsNullOrEmpty(grant)) return;
        if (await clients.FindAsync(context.ClientId, context.CancellationToken) is { } client && !client.GrantTypes.Contains(grant))
        {
            context.Reject(Errors.UnauthorizedClient,
                $"The client is not authorized to request a token using this method. The OAuth 2.0 Client is not allowed to use authorization grant '{grant}'.");
        }
    }
}
