using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>Rejecting inside OpenIddict's pipeline with a catalogue entry instead of free text.</summary>
public static class RejectWith
{
    /// <summary>
    /// OpenIddict writes the error and description in Hydra's shape and picks the status from the error code;
    /// the entry's id goes out in <see cref="ErrorId.Header"/>, as for errors answered outside OpenIddict.
    /// </summary>
    public static void Reject(this OpenIddictServerEvents.BaseValidatingContext context, OAuth2Error error)
    {
        if (context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response) ErrorId.Attach(response, error.Id);
        context.Reject(error.Error, error.Description);
    }
}
