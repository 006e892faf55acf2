using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Defence in depth for clients registered before <see cref="ClientValidator.RedirectProblem"/> existed: a
/// registered redirect URI that the validator would refuse today (<c>javascript:</c>, <c>data:</c>, plain http
/// to a public host…) is never redirected or form-posted to. Rejected while validating, the error is answered
/// here and not sent to that URI (OpenIddict only uses a redirect URI whose validation succeeded).
/// </summary>
public sealed class RedirectUriGuard : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ValidateAuthorizationRequestContext, RedirectUriGuard>(OpenIddictServerHandlers.Authentication.ValidateClientRedirectUri.Descriptor.Order + 1);

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        var uri = context.RedirectUri ?? context.Request.RedirectUri;
        if (uri is not null && !ClientValidator.IsAllowedRedirect(uri))
        {
            context.Reject(Errors.InvalidRequest,
                "The redirect_uri is registered for this client but is not allowed (it must be https, http to a loopback host, or a private-use scheme); update the client's redirect_uris.");
        }
        return default;
    }
}
