using System.Security.Claims;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// The client-credentials grant, handled inside OpenIddict's pipeline (no passthrough to an endpoint).
/// OpenIddict has already authenticated the client and checked that it may use this grant; Hydra's
/// rules for scope and audience are checked here: every requested scope and audience must be one the
/// client was registered with.
/// </summary>
public sealed class ClientCredentialsGrant(ClientStore clients) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<HandleTokenRequestContext, ClientCredentialsGrant>(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000);

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (!context.Request.IsClientCredentialsGrantType()) return;

        var client = await clients.FindAsync(context.ClientId!, context.CancellationToken);
        if (client is null)
        {
            context.Reject(TokenErrors.ClientGone);
            return;
        }

        var scopes = context.Request.GetScopes();
        var allowedScopes = client.Scopes.ToHashSet(StringComparer.Ordinal);
        if (scopes.FirstOrDefault(s => !allowedScopes.Contains(s)) is { } scope)
        {
            context.Reject(TokenErrors.ScopeNotAllowed(scope));
            return;
        }

        var audiences = Audiences.Requested(context.Request);
        if (audiences.FirstOrDefault(a => !client.Audience.Contains(a)) is { } audience)
        {
            context.Reject(TokenErrors.AudienceNotAllowed(audience));
            return;
        }

        SignIn(context, client, client.Id, scopes, audiences);
    }

    /// <summary>
    /// Signs in a machine grant (client credentials, jwt-bearer): an access token only, for <paramref name="subject"/>,
    /// with the checked scopes and audiences.
    /// </summary>
    public static void SignIn(HandleTokenRequestContext context, StoredClient client, string subject,
        IEnumerable<string> scopes, IEnumerable<string> audiences)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject);
        identity.SetClaim(Claims.ClientId, client.Id);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetAudiences(audiences);
        principal.SetDestinations(static _ => [Destinations.AccessToken]);
        context.Transaction.SetProperty(AccessTokenStrategy.ClientProperty, client);
        context.SignIn(principal);
    }
}
