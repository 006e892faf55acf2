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
    public static IEnumerable<OpenIddictServerHandlerDescriptor> Descriptors =>
    [
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<ClientAuthThrottleHandler>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateRevocationRequestContext>()
            .UseScopedHandler<ClientAuthThrottleHandler>()
            .SetOrder(OpenIddictServerHandlers.Revocation.ValidateAuthentication.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build(),
    ];

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
        await new OAuth2Error("temporarily_unavailable",
            $"Too many failed client authentications for this client or from this address. Retry after {retryAfter} seconds.",
            StatusCodes.Status429TooManyRequests).WriteAsync(http);
        context.HandleRequest();
    }
}
