using System.Collections.Immutable;
using System.Text.Json;
using Latchkey.OAuth2.Server;
using Latchkey.Tenancy;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Latchkey.OAuth2.Discovery;

/// <summary>
/// Discovery says what a project really does. OpenIddict writes the issuer as a URI with a trailing slash (the
/// contract's issuer has none), lists only the claims it adds itself, and leaves out <c>none</c>, which public
/// clients use at the token and revocation endpoints. It also announces back- and front-channel logout.
/// </summary>
public sealed class UseProjectIssuerInDiscovery(IProjectContext project) : IOpenIddictServerHandler<ApplyConfigurationResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = Handler.Scoped<ApplyConfigurationResponseContext, UseProjectIssuerInDiscovery>(
        // First, before the first built-in: the metadata is final before it is written.
        OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyConfigurationResponseContext>.Descriptor.Order - 1_000);

    /// <summary>
    /// What every ID token or <c>/userinfo</c> answer of a project can carry: <c>acr</c> when the login app sets one,
    /// <c>nonce</c> when the client sent one, <c>at_hash</c> beside an access token. The consent app's
    /// <c>session.id_token</c> claims come on top; the hosted consent page adds <c>email</c>.
    /// </summary>
    static readonly ImmutableArray<string?> IssuedClaims =
    [
        Claims.Issuer, Claims.Subject, Claims.Audience, Claims.ExpiresAt, Claims.IssuedAt, Claims.AuthenticationTime,
        Claims.AuthenticationContextReference, Claims.Nonce, Claims.AccessTokenHash, Claims.AuthorizedParty, "sid",
    ];

    public ValueTask HandleAsync(ApplyConfigurationResponseContext context)
    {
        if (context.Response.Error is not null) return default;
        context.Response[Metadata.Issuer] = project.Issuer;
        context.Response[Metadata.TokenEndpointAuthSigningAlgValuesSupported] = Clients.ClientAssertions.Algorithms.ToImmutableArray<string?>();
        context.Response[Metadata.ClaimsSupported] = project.Project.OAuth2.Urls.Consent is null ? IssuedClaims.Add(Claims.Email) : IssuedClaims;
        // OpenID Connect Back-Channel and Front-Channel Logout 1.0, with the sid (LogoutNotifier).
        foreach (var logout in new[] { "backchannel_logout_supported", "backchannel_logout_session_supported", "frontchannel_logout_supported", "frontchannel_logout_session_supported" })
            context.Response[logout] = true;
        // Hydra's OpenID Connect UserInfo Verifiable Credentials (draft 00) metadata: Credentials/CredentialEndpoints.
        context.Response["credentials_endpoint_draft_00"] = project.Issuer + "/credentials";
        context.Response["credentials_supported_draft_00"] = new OpenIddictParameter(JsonSerializer.SerializeToElement(new[] { Credentials.CredentialEndpoints.Supported }));
        // RFC 8414 §2: listed only when the project turned dynamic client registration on.
        if (project.Project.OAuth2.Oidc.DynamicClientRegistration.Enabled)
            context.Response["registration_endpoint"] = project.Issuer + "/oauth2/register";
        foreach (var methods in new[] { Metadata.TokenEndpointAuthMethodsSupported, Metadata.RevocationEndpointAuthMethodsSupported })
        {
            if ((ImmutableArray<string?>?)context.Response[methods] is { } listed && !listed.Contains(ClientAuthenticationMethods.None))
                context.Response[methods] = listed.Add(ClientAuthenticationMethods.None);
        }
        return default;
    }
}
