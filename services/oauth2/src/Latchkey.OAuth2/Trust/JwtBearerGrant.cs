using System.Security.Claims;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using Latchkey.OAuth2.Tokens;
using Latchkey.Tenancy;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Trust;

/// <summary>
/// The jwt-bearer grant (RFC 7523 §2.1), as fosite's rfc7523 handler: OpenIddict has authenticated the client and
/// checked it may use the grant; here the assertion is verified with the trusted key of its (iss, sub, kid), its
/// claims are checked (aud is this project's token endpoint or issuer, exactly; exp within
/// <c>oauth2.grant.jwt.max_ttl</c>; nbf; iat; jti once), the scope must be within the trust's and the client's, and
/// the token is issued for the assertion's subject. The signature is checked by Microsoft.IdentityModel.
/// </summary>
public sealed class JwtBearerGrant(
    TrustStore trusts, AssertionJtis jtis, ClientStore clients, IProjectContext project, TimeProvider clock) : IOpenIddictServerHandler<HandleTokenRequestContext>
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    static readonly JsonWebTokenHandler Tokens = new();

    static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        Handler.Scoped<HandleTokenRequestContext, JwtBearerGrant>(OpenIddictServerHandlers.Exchange.AttachPrincipal.Descriptor.Order + 1_000);

    public async ValueTask HandleAsync(HandleTokenRequestContext context)
    {
        if (context.Request.GrantType != GrantType) return;
        var ct = context.CancellationToken;
        if (await clients.FindAsync(context.ClientId!, ct) is not { } client)
        {
            context.Reject(TokenErrors.ClientGone);
            return;
        }

        var assertion = (string?)context.Request[Parameters.Assertion];
        if (string.IsNullOrEmpty(assertion))
        {
            context.Reject(TrustErrors.AssertionMissing);
            return;
        }
        if (!Tokens.CanReadToken(assertion))
        {
            context.Reject(TrustErrors.AssertionUnreadable);
            return;
        }
        JsonWebToken jwt;
        try
        {
            jwt = Tokens.ReadJsonWebToken(assertion);
        }
        catch (ArgumentException)
        {
            context.Reject(TrustErrors.AssertionUnreadable);
            return;
        }
        if (jwt.IsEncrypted)
        {
            context.Reject(TrustErrors.AssertionUnreadable);
            return;
        }
        if (string.IsNullOrEmpty(jwt.Issuer))
        {
            context.Reject(TrustErrors.IssuerClaimMissing);
            return;
        }
        if (string.IsNullOrEmpty(jwt.Subject))
        {
            context.Reject(TrustErrors.SubjectClaimMissing);
            return;
        }

        var now = clock.GetUtcNow();
        var candidates = await trusts.FindForAssertionAsync(jwt.Issuer, jwt.Subject, jwt.Kid, now, ct);
        if (candidates.Count == 0)
        {
            context.Reject(TrustErrors.NoTrustedKey(jwt.Issuer, jwt.Subject));
            return;
        }
        if (await VerifiedByAsync(assertion, candidates) is not { } trust)
        {
            context.Reject(TrustErrors.SignatureInvalid);
            return;
        }

        var config = project.Project.OAuth2.OAuth2.Grant.Jwt;
        if (AssertionClaims.Check(jwt, project.Issuer, config, now) is { } broken)
        {
            context.Reject(broken);
            return;
        }

        var scopes = context.Request.GetScopes();
        if (scopes.FirstOrDefault(s => !trust.Scope.Contains(s)) is { } untrusted)
        {
            context.Reject(TrustErrors.ScopeNotTrusted(jwt.Issuer, jwt.Subject, untrusted));
            return;
        }
        var clientScopes = client.Scopes.ToHashSet(StringComparer.Ordinal);
        if (scopes.FirstOrDefault(s => !clientScopes.Contains(s)) is { } scope)
        {
            context.Reject(TokenErrors.ScopeNotAllowed(scope));
            return;
        }
        var audiences = Audiences.Requested(context.Request);
        if (audiences.FirstOrDefault(a => !client.Audience.Contains(a)) is { } audience)
        {
            context.Reject(TokenErrors.AudienceNotAllowed(audience));
            return;
        }

        // Last, so a refused request does not use up the assertion.
        if (AssertionClaims.Jti(jwt) is { } jti && !await jtis.TryMarkUsedAsync(jwt.Issuer, jti, jwt.ValidTo, now, ct))
        {
            context.Reject(TrustErrors.JtiKnown);
            return;
        }

        ClientCredentialsGrant.SignIn(context, client, jwt.Subject, scopes, audiences);
    }

    /// <summary>The first relationship whose key verifies the assertion's signature, or null.</summary>
    static async Task<TrustedIssuer?> VerifiedByAsync(string assertion, IReadOnlyList<TrustedIssuer> candidates)
    {
        foreach (var candidate in candidates)
        {
            var parameters = new TokenValidationParameters
            {
                IssuerSigningKey = new JsonWebKey(candidate.Jwk),
                ValidAlgorithms = Algorithms,
                RequireSignedTokens = true,
                // The claims are checked by AssertionClaims, with our clock and Hydra's answers.
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                TryAllIssuerSigningKeys = true,
            };
            var result = await Tokens.ValidateTokenAsync(assertion, parameters);
            if (result.IsValid) return candidate;
        }
        return null;
    }
}
