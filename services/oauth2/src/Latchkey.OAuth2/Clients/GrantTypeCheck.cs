using Latchkey.OAuth2.Server;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// A grant the client is not registered for is <c>unauthorized_client</c> before the grant's own parameters
/// are looked at, as in fosite (each grant handler checks the client's grant types first): a
/// client_credentials client sending <c>grant_type=refresh_token</c>, with or without a refresh token, gets
/// <c>unauthorized_client</c>. OpenIddict checks the grant's parameters first and authenticates the client only
/// after them, so this runs right after the <c>client_id</c> is known and authenticates the client itself
/// first: only a client that proved who it is learns which grants it has. Otherwise the request goes on as
/// any other, and OpenIddict answers (<c>invalid_client</c>, or <c>invalid_request</c> for a missing parameter)
/// as it would for a registered grant. A failed secret counts for <see cref="ClientAuthThrottle"/> (the
/// throttle runs before this); when OpenIddict checks the same secret again, it counts again.
/// </summary>
public sealed class GrantTypeCheck(ClientStore clients, IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        Handler.Scoped<ValidateTokenRequestContext, GrantTypeCheck>(OpenIddictServerHandlers.Exchange.ValidateClientIdParameter.Descriptor.Order + 500);

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        var grant = context.Request.GrantType;
        if (string.IsNullOrEmpty(context.ClientId) || string.IsNullOrEmpty(grant)) return;
        if (await clients.FindAsync(context.ClientId, context.CancellationToken) is not { } client || client.GrantTypes.Contains(grant)) return;
        if (await AuthenticatesAsync(client, context.Request.ClientSecret, context.CancellationToken))
            context.Reject(ClientErrors.UnregisteredGrant(grant));
    }

    /// <summary>OpenIddict's rule: a public client sends no secret, a confidential one its own.</summary>
    async ValueTask<bool> AuthenticatesAsync(StoredClient client, string? secret, CancellationToken ct) =>
        client.IsPublic
            ? string.IsNullOrEmpty(secret)
            : !string.IsNullOrEmpty(secret) && await applications.ValidateClientSecretAsync(client, secret, ct);
}
