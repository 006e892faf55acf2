using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Hydra's <c>oauth2.pkce.enforced_for_public_clients</c> (default true): a public client
/// (<c>token_endpoint_auth_method: none</c>) must send a <c>code_challenge</c> with every code request, since
/// nothing else proves that the app redeeming the code is the one that asked for it.
/// <c>oauth2.pkce.enforced</c> (every client) is OpenIddict's own RequireProofKeyForCodeExchange, set per project.
/// </summary>
public sealed class PkceRequirement(ClientStore clients, IProjectContext project) : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ValidateAuthorizationRequestContext, PkceRequirement>(OpenIddictServerHandlers.Authentication.ValidateProofKeyForCodeExchangeRequirement.Descriptor.Order + 1);

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        if (!string.IsNullOrEmpty(context.Request.CodeChallenge) || !context.Request.HasResponseType(ResponseTypes.Code)) return;
        if (!project.Project.OAuth2.OAuth2.Pkce.EnforcedForPublicClients || context.ClientId is null) return;
        if (await clients.FindAsync(context.ClientId, context.CancellationToken) is { IsPublic: true })
        {
            context.Reject(Errors.InvalidRequest,
                "Clients must include a code_challenge when performing the authorize code flow, but it is missing. The server is configured in a way that enforces PKCE for this client.");
        }
    }
}
