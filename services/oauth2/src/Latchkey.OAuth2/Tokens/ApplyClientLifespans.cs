using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// Hydra's per-client, per-grant token lifespans (<see cref="ClientLifespans"/>), for every grant of the token
/// endpoint: the lifetimes are attached to the principal, where OpenIddict's token preparation reads them first,
/// so a lifespan the client did not set is the project's <c>ttl/*</c> (the project's options). Attaching the
/// default too spares OpenIddict its own client lookup for the client's settings on every token.
/// </summary>
public sealed class ApplyClientLifespans(ClientStore clients) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        Handler.Scoped<ProcessSignInContext, ApplyClientLifespans>(OpenIddictServerHandlers.PrepareAccessTokenPrincipal.Descriptor.Order - 100);

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        if (context.EndpointType != OpenIddictServerEndpointType.Token || context.Principal is not { } principal || string.IsNullOrEmpty(context.ClientId)) return;

        var client = context.Transaction.GetProperty<StoredClient>(AccessTokenStrategy.ClientProperty) is { } known && known.Id == context.ClientId
            ? known
            : await clients.FindAsync(context.ClientId, context.CancellationToken);
        if (client is null) return;

        var grant = context.Request.GrantType;
        principal.SetAccessTokenLifetime(ClientLifespans.For(client, grant, TokenKind.Access) ?? context.Options.AccessTokenLifetime);
        principal.SetIdentityTokenLifetime(ClientLifespans.For(client, grant, TokenKind.Id) ?? context.Options.IdentityTokenLifetime);
        principal.SetRefreshTokenLifetime(ClientLifespans.For(client, grant, TokenKind.Refresh) ?? context.Options.RefreshTokenLifetime);
    }
}
