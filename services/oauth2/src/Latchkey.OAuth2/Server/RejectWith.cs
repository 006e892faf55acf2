using Latchkey.ServiceDefaults;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>Rejecting inside OpenIddict's pipeline with a catalogue entry instead of free text.</summary>
public static class RejectWith
{
    const string Property = "lk:error";

    /// <summary>
    /// OpenIddict writes the error and description in Hydra's shape and picks the status from the error code.
    /// The entry is remembered for <see cref="AttachErrorId{TContext}"/>, which sends its id only if the response
    /// still carries this error: OpenIddict turns some rejections into success (a revocation of a token that is
    /// not the caller's is a 200), and those must not say why.
    /// </summary>
    public static void Reject(this OpenIddictServerEvents.BaseValidatingContext context, OAuth2Error error)
    {
        context.Transaction.Properties[Property] = error;
        context.Reject(error.Error, error.Description);
    }

    /// <summary>The entry a handler rejected the request with, if the response still answers its error.</summary>
    public static OAuth2Error? RejectedWith(this OpenIddictServerTransaction transaction) =>
        transaction.Properties.TryGetValue(Property, out var value) && value is OAuth2Error error && transaction.Response?.Error == error.Error
            ? error
            : null;
}
