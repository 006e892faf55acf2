using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Hydra's <c>urls.error</c>: an authorization error that cannot go back to the client (no valid redirect URI,
/// unknown client) sends the browser to the project's error page with <c>error</c> and <c>error_description</c>.
/// Without <c>urls.error</c>, OpenIddict answers it here, as before.
/// </summary>
public sealed class ErrorUrlRedirect(IProjectContext project) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyAuthorizationResponseContext, ErrorUrlRedirect>(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor.Order - 2);

    public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        if (!string.IsNullOrEmpty(context.RedirectUri) || string.IsNullOrEmpty(context.Response.Error)
            || project.Project.OAuth2.Urls.Error is not { Length: > 0 } errorUrl || context.Transaction.GetHttpRequest() is not { } request)
        {
            return default;
        }
        var query = $"error={Uri.EscapeDataString(context.Response.Error)}&error_description={Uri.EscapeDataString(context.Response.ErrorDescription ?? "")}";
        request.HttpContext.Response.Redirect($"{errorUrl}{(errorUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{query}");
        context.HandleRequest();
        return default;
    }
}
