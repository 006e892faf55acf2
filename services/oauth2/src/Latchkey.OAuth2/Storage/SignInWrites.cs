using Latchkey.OAuth2.Server;
using Marten;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// The writes of one sign-in — the flow's last step, the ad-hoc authorization, the code or refresh token
/// being redeemed, and every token issued — committed together in one transaction at the end of the sign-in:
/// one database write per step of a login, and nothing half-written when a step fails. A version conflict
/// (a code or refresh token redeemed concurrently, a flow completed twice) fails the whole sign-in.
/// Client-credentials sign-ins write a single token and keep its one-statement insert.
/// </summary>
public sealed class SignInWrites(ProjectSessions sessions) : IAsyncDisposable, IDisposable
{
    IDocumentSession? _session;

    /// <summary>The open unit of work, or null when writes go straight to the database.</summary>
    public IDocumentSession? Pending => _session;

    public IDocumentSession Begin() => _session ??= sessions.Open();

    /// <summary>Commits what is pending; false when another request changed an entry first (nothing is written then).</summary>
    public async Task<bool> CommitAsync(CancellationToken ct)
    {
        if (_session is not { } session) return true;
        _session = null;
        await using (session)
        {
            try
            {
                await session.SaveChangesAsync(ct);
                return true;
            }
            catch (JasperFx.ConcurrencyException)
            {
                return false;
            }
        }
    }

    /// <summary>Uncommitted writes are dropped: a sign-in that did not finish leaves nothing behind.</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is { } session) await session.DisposeAsync();
        _session = null;
    }

    /// <summary>Opens the unit of work before OpenIddict's sign-in handlers write anything.</summary>
    public sealed class BeginHandler(SignInWrites writes) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ProcessSignInContext, BeginHandler>(
            // First, before the first built-in, so every write of the sign-in joins the one unit of work.
            OpenIddictServerAspNetCoreHandlers.ResolveHostSignInProperties.Descriptor.Order - 1_000);

        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (context.EndpointType == OpenIddictServerEndpointType.Authorization
                || (context.EndpointType == OpenIddictServerEndpointType.Token && !context.Request.IsClientCredentialsGrantType()))
                writes.Begin();
            return default;
        }
    }

    /// <summary>
    /// Commits after every token is generated and before the response parameters are attached (handlers
    /// placed at the very end of the sign-in were seen not to run at the authorization endpoint).
    /// </summary>
    public sealed class CommitHandler(SignInWrites writes) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ProcessSignInContext, CommitHandler>(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order - 500);

        public async ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (await writes.CommitAsync(context.CancellationToken)) return;
            if (context.EndpointType == OpenIddictServerEndpointType.Token)
                context.Reject(Errors.InvalidGrant, "The authorization code or refresh token was already used.");
            else
                context.Reject(Errors.InvalidRequest, "The consent verifier was already used.");
        }
    }
}
