using Latchkey.ServiceDefaults;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Flows;

/// <summary>Rejects an OpenIddict request with a named error: OpenIddict writes it to the client in the request's response mode.</summary>
static class RejectWith
{
    public static void Reject(this OpenIddictServerEvents.BaseValidatingContext context, OAuth2Error error) =>
        context.Reject(error.Error, error.Description);
}
