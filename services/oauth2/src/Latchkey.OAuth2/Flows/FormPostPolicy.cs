using Latchkey.OAuth2.Hosted;
using Latchkey.OAuth2.Server;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Runs just before OpenIddict writes its auto-submitting form_post page, and gives that page a strict
/// Content-Security-Policy: only its own one-line script (by hash) runs, and its form may only post to the
/// validated redirect URI. Whatever reached the page could not run script on the project's origin.
/// </summary>
public sealed class FormPostPolicy : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Singleton<ApplyAuthorizationResponseContext, FormPostPolicy>(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor.Order - 1);

    public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        if (string.IsNullOrEmpty(context.RedirectUri) || context.ResponseMode != ResponseModes.FormPost
            || context.Transaction.GetHttpRequest() is not { } request)
        {
            return default;
        }
        SecurityHeaders.ApplyToFormPost(request.HttpContext.Response, context.RedirectUri);
        return default;
    }
}
