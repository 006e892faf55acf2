using System.Collections.Immutable;
using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;
using Builtin = OpenIddict.Server.OpenIddictServerHandlers.Protection;

namespace Latchkey.OAuth2.Tokens;

/// <summary>
/// The token feature's handlers in OpenIddict's pipeline (<see cref="Handlers"/>); among them, replacements for three
/// of OpenIddict's token-protection handlers, at their exact places, so tokens take Latchkey's opaque form and cost
/// one database write each.
/// </summary>
public static class TokenHandlers
{
    const string PendingEntry = "lk:pending-token-entry";
    const string PendingToken = "lk:pending-opaque-token";

    /// <summary>
    /// The token feature's handlers in pipeline order. Three replace OpenIddict's own at their exact orders
    /// (<see cref="OpenIddictSetup"/> removes those): <see cref="ValidateOpaqueToken"/>, <see cref="PrepareTokenEntry"/>
    /// and <see cref="InsertTokenEntry"/>. <see cref="Keys.SigningKeySelection"/> runs among them, added per project.
    /// </summary>
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ValidateTokenContext
        ValidateOpaqueToken.Descriptor,
        RequireOpaqueForm.Descriptor,

        // ValidateRevocationRequestContext
        RevokeOnlyOwnTokens.Descriptor,

        // HandleTokenRequestContext
        ClientCredentialsGrant.Descriptor,
        CodeAndRefreshGrants.Descriptor,

        // ProcessSignInContext
        OfflineScopeIssuesRefreshTokens.Descriptor,
        ApplyClientLifespans.Descriptor,

        // GenerateTokenContext
        AccessTokenStrategy.Descriptor,
        PrepareTokenEntry.Descriptor,
        UseProjectIssuer.Descriptor,
        InsertTokenEntry.Descriptor,

        // ApplyTokenResponseContext
        AlwaysReturnScope.Descriptor,
    ];

    /// <summary>The built-ins <see cref="Handlers"/> replace, at the same orders.</summary>
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Replaced { get; } =
        [Builtin.ValidateReferenceTokenIdentifier.Descriptor, Builtin.CreateTokenEntry.Descriptor, Builtin.AttachTokenPayload.Descriptor];

    /// <summary>
    /// Instead of inserting the entry, then updating it with the payload (two writes), prepare it in memory:
    /// <see cref="InsertTokenEntry"/> writes it once, complete. An opaque token is minted here, so that its
    /// entry id can be derived from its signature (<see cref="OpaqueTokens.IdFor"/>).
    /// </summary>
    public sealed class PrepareTokenEntry(OpaqueTokens opaque, Device.UserCodes userCodes, IProjectContext project) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.At<GenerateTokenContext>(Builtin.CreateTokenEntry.Descriptor.Order)
            .AddFilter<RequireDegradedModeDisabled>()
            .AddFilter<RequireTokenStorageEnabled>()
            .AddFilter<RequireTokenEntryCreated>()
            .UseScopedHandler<PrepareTokenEntry>()
            .Build();

        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            var entry = new TokenEntry
            {
                Id = Guid.CreateVersion7(),
                ApplicationId = string.IsNullOrEmpty(context.ClientId) ? null : context.ClientId,
                AuthorizationId = context.Principal.GetAuthorizationId(),
                CreationDate = context.Principal.GetCreationDate(),
                ExpirationDate = context.Principal.GetExpirationDate(),
                Type = context.TokenType,
                Status = context.TokenType == TokenTypeIdentifiers.Private.DeviceCode ? Statuses.Inactive : Statuses.Valid,
                Subject = context.TokenType is TokenTypeIdentifiers.Private.DeviceCode or TokenTypeIdentifiers.Private.UserCode ? null : context.Principal.GetClaim(Claims.Subject),
            };
            // A user code is typed by a person: short, from its own alphabet, and remembering what the device asked for.
            var userCode = context.TokenType == TokenTypeIdentifiers.Private.UserCode;
            if (userCode) entry.Properties = Device.UserCodes.PropertiesOf(context.Principal, context.Request);
            if (context.IsReferenceToken)
            {
                var (token, signature) = userCode ? userCodes.Create(project.Project.Id) : opaque.Create(project.Project.Id, context.TokenType);
                entry.Signature = signature;
                entry.Id = OpaqueTokens.IdFor(signature);
                context.Transaction.Properties[PendingToken] = token;
            }
            context.Principal.SetTokenId(entry.Id.ToString());
            context.Transaction.Properties[PendingEntry] = entry;
            return default;
        }
    }

    /// <summary>
    /// Gives reference tokens their <c>lk_</c> form and writes the entry: the one write per token. A
    /// client-credentials sign-in writes nothing else, so its token is one INSERT of its own; every other
    /// sign-in's tokens join its unit of work (<see cref="Storage.SignInWrites"/>).
    /// </summary>
    public sealed class InsertTokenEntry(TokenStore store) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.At<GenerateTokenContext>(Builtin.AttachTokenPayload.Descriptor.Order)
            .AddFilter<RequireDegradedModeDisabled>()
            .AddFilter<RequireTokenStorageEnabled>()
            .UseScopedHandler<InsertTokenEntry>()
            .Build();

        public async ValueTask HandleAsync(GenerateTokenContext context)
        {
            if (!context.Transaction.Properties.Remove(PendingEntry, out var pending) || pending is not TokenEntry entry) return;

            if (context.PersistTokenPayload) entry.Payload = context.Token;
            if (context.Transaction.Properties.Remove(PendingToken, out var token)) context.Token = (string)token!;
            if (context.EndpointType == OpenIddictServerEndpointType.Token && context.Request?.IsClientCredentialsGrantType() == true)
                await store.InsertAsync(entry, context.CancellationToken);
            else
                await store.CreateAsync(entry, context.CancellationToken);
        }
    }

    /// <summary>
    /// Verifies an <c>lk_</c> token's signature before any read, then loads its entry (by the id the signature
    /// determines) and hands
    /// OpenIddict the stored payload. Anything else is left to OpenIddict's JWT validation.
    /// </summary>
    public sealed class ValidateOpaqueToken(TokenStore store, OpaqueTokens opaque, IProjectContext project) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.At<ValidateTokenContext>(Builtin.ValidateReferenceTokenIdentifier.Descriptor.Order)
            .AddFilter<RequireDegradedModeDisabled>()
            .AddFilter<RequireTokenStorageEnabled>()
            .UseScopedHandler<ValidateOpaqueToken>()
            .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (!OpaqueTokens.LooksOpaque(context.Token)) return;

            var signature = opaque.Verify(project.Project.Id, context.Token);
            var entry = signature is null ? null : await store.FindByIdAsync(OpaqueTokens.IdFor(signature), context.CancellationToken);
            // The signature covers only the random part: the prefix is checked against the stored type, so an
            // access token renamed lk_rt_… (or lk_zz_…) is no token at all.
            if (entry?.Payload is null || entry.Signature != signature || !context.Token.StartsWith(OpaqueTokens.PrefixFor(entry.Type), StringComparison.Ordinal)
                || (context.ValidTokenTypes.Count > 0 && !context.ValidTokenTypes.Contains(entry.Type!)))
            {
                context.Reject(TokenErrors.InvalidToken);
                return;
            }

            context.IsReferenceToken = true;
            context.Token = entry.Payload;
            context.TokenId = entry.Id.ToString();
        }
    }

    /// <summary>
    /// A stored payload is never a token in its own right: refresh tokens and codes are accepted only in
    /// their <c>lk_</c> form, and access tokens too unless they were issued as JWTs. Whether one was is the
    /// client's choice at the time (<see cref="AccessTokenStrategy"/>), not the project's now, so it is read
    /// from the token's entry: a JWT's entry stores no payload. OpenIddict reads that entry next anyway
    /// (to check it is not revoked), from the request's <see cref="TokenStore"/>, so this costs no extra read.
    /// </summary>
    public sealed class RequireOpaqueForm(TokenStore store) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ValidateTokenContext, RequireOpaqueForm>(Builtin.ValidateIdentityModelToken.Descriptor.Order + 500);

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.Principal is null || context.IsReferenceToken) return;
            var allowed = context.Principal.GetTokenType() switch
            {
                TokenTypeIdentifiers.IdentityToken or TokenTypeIdentifiers.Private.ClientAssertion => true,
                TokenTypeIdentifiers.AccessToken => await IssuedAsJwtAsync(context),
                _ => false,
            };
            if (!allowed) context.Reject(TokenErrors.InvalidToken);
        }

        async ValueTask<bool> IssuedAsJwtAsync(ValidateTokenContext context) =>
            context.Principal!.GetTokenId() is { } id
            && await store.FindByIdAsync(id, context.CancellationToken) is { Payload: null, Type: TokenTypeIdentifiers.AccessToken };
    }

    /// <summary>Tokens carry the project's issuer exactly as the contract writes it: no trailing slash.</summary>
    public sealed class UseProjectIssuer(IProjectContext project) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<GenerateTokenContext, UseProjectIssuer>(Builtin.AttachTokenMetadata.Descriptor.Order + 1);

        public ValueTask HandleAsync(GenerateTokenContext context)
        {
            context.SecurityTokenDescriptor.Issuer = project.Issuer;
            return default;
        }
    }
}
