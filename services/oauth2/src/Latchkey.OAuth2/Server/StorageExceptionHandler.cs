using JasperFx;
using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;

namespace Latchkey.OAuth2.Server;

/// <summary>Maps storage conflicts (a duplicate id, a concurrent update) to 409 rather than 500.</summary>
public sealed class StorageExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (DocumentAlreadyExistsException or ConcurrencyException or OpenIddict.Abstractions.OpenIddictExceptions.ConcurrencyException)) return false;
        await OryError.Conflict("The resource was changed or created concurrently; retry the request.").WriteAsync(httpContext);
        return true;
    }
}
