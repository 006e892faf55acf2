using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using Builtin = OpenIddict.Server.OpenIddictServerHandlers.Protection;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// Decides, per access token, whether it is an opaque <c>lk_at_</c> reference token or a JWT, as Hydra does:
/// the client's <c>access_token_strategy</c> if it has one, else the project's <c>strategies.access_token</c>.
/// The project's options only carry the project's default, so this runs right after OpenIddict's
/// <see cref="Builtin.AttachSecurityCredentials"/> and before the handlers that read the choice
/// (<see cref="Keys.SigningKeySelection"/>, <see cref="TokenHandlers.PrepareTokenEntry"/>, <see cref="TokenHandlers.InsertTokenEntry"/>).
/// Either way the token gets an entry, which is what keeps a JWT revocable and introspectable.
/// </summary>
public sealed class AccessTokenStrategy(ClientStore clients, IProjectContext project) : IOpenIddictServerHandler<GenerateTokenContext>
{
    /// <summary>
    /// The client a grant handler already read for this request, so the hot client-credentials path does not
    /// read it again (not even from <see cref="ClientCache"/>, which hands out a fresh copy per call).
    /// </summary>
    public const string ClientProperty = "lk:client";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<GenerateTokenContext, AccessTokenStrategy>(Builtin.AttachSecurityCredentials.Descriptor.Order + 100);

    public async ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType != TokenTypeIdentifiers.AccessToken) return;

        var client = context.Transaction.GetProperty<StoredClient>(ClientProperty) is { } known && known.Id == context.ClientId
            ? known
            : await clients.FindAsync(context.ClientId ?? "", context.CancellationToken);
        var strategy = client?.AccessTokenStrategy ?? project.Project.OAuth2.Strategies.AccessToken;

        var opaque = strategy != "jwt";
        context.IsReferenceToken = opaque;
        context.PersistTokenPayload = opaque;
        // An opaque token's payload is stored, so it is encrypted at rest; a JWT is for resource servers to
        // verify with the JWKS, so it is only signed.
        context.EncryptionCredentials = opaque ? context.Options.EncryptionCredentials[0] : null;
    }
}
