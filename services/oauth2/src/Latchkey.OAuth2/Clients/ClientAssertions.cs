using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Trust;
using Latchkey.Tenancy;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using Builtin = OpenIddict.Server.OpenIddictServerHandlers;

namespace Latchkey.OAuth2.Clients;

/// <summary>
/// <c>private_key_jwt</c> client authentication (RFC 7523 §2.2, OIDC Core §9) is OpenIddict's: it verifies the
/// assertion's signature with the keys <see cref="ClientManager"/> gives it (<see cref="ClientJwks"/>) and checks
/// iss = sub = client_id, aud and exp. These handlers add what Hydra (fosite) also demands: the token endpoint URL
/// is an accepted audience besides the issuer, the client's registered signing algorithm, a bounded lifetime
/// (<c>oauth2.grant.jwt.max_ttl</c>), and a single-use <c>jti</c>, in the store the jwt-bearer grant uses.
/// </summary>
public static class ClientAssertions
{
    /// <summary>The algorithms an assertion may be signed with: what discovery lists and registration accepts.</summary>
    public static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    static readonly JsonWebTokenHandler Tokens = new();

    static JsonWebToken? Read(string? assertion)
    {
        if (string.IsNullOrEmpty(assertion) || !Tokens.CanReadToken(assertion)) return null;
        try
        {
            return Tokens.ReadJsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Before OpenIddict verifies the assertion: checks its audience exactly, and makes sure the client's keys are at hand, refetching its
    /// <c>jwks_uri</c> when the assertion names a kid the cached set lacks; a set that cannot be fetched is a clear
    /// <c>invalid_client</c> rather than a bare signature failure.
    /// </summary>
    public sealed class LoadKeys(ClientStore clients, ClientJwks jwks, IProjectContext project) : IOpenIddictServerHandler<ProcessAuthenticationContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            Handler.Scoped<ProcessAuthenticationContext, LoadKeys>(Builtin.ValidateClientAssertion.Descriptor.Order - 1);

        public async ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            if (Read(context.ClientAssertion) is not { } jwt || string.IsNullOrEmpty(jwt.Issuer)) return;
            // Checked here, before OpenIddict, so a wrong audience is invalid_client with its reason (OpenIddict says invalid_token).
            var tokenEndpoint = project.Issuer + "/oauth2/token";
            if (!jwt.Audiences.Any(a => a == tokenEndpoint || a == project.Issuer))
            {
                context.Reject(ClientErrors.AssertionClaim($"its aud (audience) must be \"{tokenEndpoint}\" or \"{project.Issuer}\"."));
                return;
            }
            if (await clients.FindAsync(jwt.Issuer, context.CancellationToken) is not { TokenEndpointAuthMethod: "private_key_jwt" } client) return;
            var (_, problem) = await jwks.GetAsync(project, client, jwt.Kid, context.CancellationToken);
            if (problem is not null) context.Reject(ClientErrors.KeysUnavailable(problem));
        }
    }

    /// <summary>Hydra accepts the token endpoint URL as a client assertion's audience; OpenIddict 7 only the issuer.</summary>
    public sealed class AcceptTokenEndpointAudience(IProjectContext project) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            Handler.Scoped<ValidateTokenContext, AcceptTokenEndpointAudience>(Builtin.Protection.ValidateAudiences.Descriptor.Order - 1);

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (IsClientAssertion(context))
                context.ValidAudiences.Add(project.Issuer + "/oauth2/token");
            return default;
        }
    }

    static bool IsClientAssertion(ValidateTokenContext context) =>
        context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(TokenTypeIdentifiers.Private.ClientAssertion);

    /// <summary>
    /// OpenIddict 7 accepts only <c>typ: client-authentication+jwt</c> (draft-ietf-oauth-rfc7523bis); Hydra, and the
    /// client libraries Hydra users have (Duende's, the Ory SDKs' examples), send <c>JWT</c> or no <c>typ</c>. Both are
    /// accepted here; the assertion must still be signed by one of the client's own keys.
    /// </summary>
    public sealed class AcceptPlainJwtType : IOpenIddictServerHandler<ValidateTokenContext>
    {
        static readonly string[] Types = ["client-authentication+jwt", "application/client-authentication+jwt", "JWT", "application/jwt"];

        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            Handler.Singleton<ValidateTokenContext, AcceptPlainJwtType>(Builtin.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1);

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (IsClientAssertion(context)) context.TokenValidationParameters.ValidTypes = Types;
            return default;
        }
    }

    /// <summary>A <c>typ: JWT</c> assertion is read by OpenIddict as an ID token: it is the client assertion being validated.</summary>
    public sealed class TypePlainJwtAsAssertion : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            Handler.Singleton<ValidateTokenContext, TypePlainJwtAsAssertion>(Builtin.Protection.ValidateIdentityModelToken.Descriptor.Order + 1);

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (IsClientAssertion(context) && context.Principal?.GetTokenType() == TokenTypeIdentifiers.IdentityToken)
                context.Principal.SetTokenType(TokenTypeIdentifiers.Private.ClientAssertion);
            return default;
        }
    }

    /// <summary>After OpenIddict accepted the assertion (signature, iss = sub, aud, exp): algorithm, lifetime, jti once.</summary>
    public sealed class CheckClaims(ClientStore clients, AssertionJtis jtis, IProjectContext project, TimeProvider clock)
        : IOpenIddictServerHandler<ProcessAuthenticationContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            Handler.Scoped<ProcessAuthenticationContext, CheckClaims>(Builtin.ValidateClientAssertionIssuer.Descriptor.Order + 1);

        public async ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            if (context.ClientAssertionPrincipal is null || Read(context.ClientAssertion) is not { } jwt) return;
            var ct = context.CancellationToken;
            if (await clients.FindAsync(jwt.Issuer, ct) is not { } client) return;
            if (!string.IsNullOrEmpty(client.TokenEndpointAuthSigningAlg) && jwt.Alg != client.TokenEndpointAuthSigningAlg)
            {
                context.Reject(ClientErrors.AssertionAlgorithm(client.TokenEndpointAuthSigningAlg, jwt.Alg));
                return;
            }

            var now = clock.GetUtcNow();
            var config = project.Project.OAuth2.OAuth2.Grant.Jwt;
            if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp))
            {
                context.Reject(ClientErrors.AssertionClaim("it has no exp (expiration time) claim."));
                return;
            }
            var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799));
            var maxTtl = GoDuration.TryParse(config.MaxTtl, out var ttl) && ttl > TimeSpan.Zero ? ttl : TimeSpan.FromHours(720);
            var hasIat = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat);
            if (!hasIat && !config.IatOptional)
            {
                context.Reject(ClientErrors.AssertionClaim("it has no iat (issued at) claim."));
                return;
            }
            var issuedAt = hasIat ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253402300799)) : now;
            if (expiresAt - now > maxTtl || expiresAt - issuedAt > maxTtl)
            {
                context.Reject(ClientErrors.AssertionClaim($"its exp is more than oauth2.grant.jwt.max_ttl ({config.MaxTtl}) after its iat or now."));
                return;
            }

            if (AssertionClaims.Jti(jwt) is not { } jti)
            {
                if (!config.JtiOptional) context.Reject(ClientErrors.AssertionClaim("it has no jti (JWT ID) claim."));
                return;
            }
            // The jti is marked even if the request fails later: the assertion has been presented, and may not be again.
            if (!await jtis.TryMarkUsedAsync("client:" + client.Id, jti, expiresAt, now, ct)) context.Reject(ClientErrors.AssertionReplayed);
        }
    }
}
