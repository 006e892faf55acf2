using Latchkey.OAuth2.Server;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// Before OpenIddict authenticates the client of a token or revocation request: a client (or source address)
/// over <see cref="ClientAuthThrottle"/>'s limit gets 429 with <c>Retry-After</c>, even with the right secret,
/// and its secret is not checked at all.
/// </summary>
public sealed class ClientAuthThrottleHandler(ClientAuthThrottle throttle, IProjectContext project) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateRevocationRequestContext>
{
    /// <summary>
    /// As soon as the <c>client_id</c> is known: before <see cref="GrantTypeCheck"/>, which may check the secret,
    /// and so before anything else of the request is looked at.
    /// </summary>
    public static OpenIddictServerHandlerDescriptor AtTokenEndpoint { get; } =
        Handler.Scoped<ValidateTokenRequestContext, ClientAuthThrottleHandler>(OpenIddictServerHandlers.Exchange.ValidateClientIdParameter.Descriptor.Order + 100);

    /// <summary>Just before OpenIddict authenticates the client.</summary>
    public static OpenIddictServerHandlerDescriptor AtRevocationEndpoint { get; } =
        Handler.Scoped<ValidateRevocationRequestContext, ClientAuthThrottleHandler>(OpenIddictServerHandlers.Revocation.ValidateAuthentication.Descriptor.Order - 1);

    public ValueTask HandleAsync(ValidateTokenRequestContext context) => CheckAsync(context, context.ClientId);

    public ValueTask HandleAsync(ValidateRevocationRequestContext context) => CheckAsync(context, context.ClientId);

    async ValueTask CheckAsync(BaseValidatingContext context, string? clientId)
    {
        if (string.IsNullOrEmpty(clientId) || context.Transaction.GetHttpRequest() is not { } request) return;
        var http = request.HttpContext;
        if (await throttle.RetryAfterAsync(project.Project.TenantId, clientId, http.Connection.RemoteIpAddress) is not { } left) return;

        var retryAfter = ClientAuthThrottle.RetryAfterSeconds(left);
        http.Response.Headers.RetryAfter = retryAfter;
        http.Response.Headers.CacheControl = "no-store";
        await ClientErrors.AuthThrottled(retryAfter).WriteAsync(http);
        context.HandleRequest();
    }
}
