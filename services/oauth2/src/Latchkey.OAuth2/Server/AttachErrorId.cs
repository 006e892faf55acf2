using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// The <see cref="ErrorId.Header"/> of an error one of our handlers rejected with (<see cref="RejectWith"/>), on the
/// response OpenIddict sends for it, as errors answered outside OpenIddict carry it. One descriptor per response
/// event, from <see cref="ServerHandlers"/>.
/// </summary>
public sealed class AttachErrorId<TContext> : IOpenIddictServerHandler<TContext> where TContext : OpenIddictServerEvents.BaseRequestContext
{
    public ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.RejectedWith() is { } error && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
            ErrorId.Attach(response, error.Id);
        return default;
    }
}
