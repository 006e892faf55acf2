using Latchkey.OAuth2.Server;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// The writes of one sign-in — the flow's last step, the ad-hoc authorization, the code or refresh token
/// being redeemed, and every token issued — committed together in one transaction at the end of the sign-in:
/// one database write per step of a login, and nothing half-written when a step fails. A version conflict
/// (a code or refresh token redeemed concurrently, a flow completed twice) fails the whole sign-in.
/// The request's <see cref="UnitOfWork"/> holds the writes; these two handlers open and commit it.
/// A client-credentials sign-in writes a single token, in one statement of its own (<c>TokenStore.InsertAsync</c>).
/// </summary>
public static class SignInWrites
{
    /// <summary>Holds the unit of work open before OpenIddict's sign-in handlers write anything.</summary>
    public sealed class BeginHandler(UnitOfWork work) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ProcessSignInContext, BeginHandler>(
            // First, before the first built-in, so every write of the sign-in joins the one unit of work.
            OpenIddictServerAspNetCoreHandlers.ResolveHostSignInProperties.Descriptor.Order - 1_000);

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            work.Hold();
            return default;
        }
    }

    /// <summary>
    /// Commits after every token is generated and before the response parameters are attached (handlers
    /// placed at the very end of the sign-in were seen not to run at the authorization endpoint).
    /// </summary>
    public sealed class CommitHandler(UnitOfWork work) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ProcessSignInContext, CommitHandler>(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order - 500);

        public async ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (await work.CommitHeldAsync(context.CancellationToken)) return;
            context.Reject(context.EndpointType == OpenIddictServerEndpointType.Token
                ? StorageErrors.GrantAlreadyUsed
                : StorageErrors.VerifierAlreadyUsed);
        }
    }
}
