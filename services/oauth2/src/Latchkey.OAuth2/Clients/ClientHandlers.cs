using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Clients;

/// <summary>Hydra's client rules inside OpenIddict's pipeline, in the order they run.</summary>
public static class ClientHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ProcessAuthenticationContext
        ClientAssertions.LoadKeys.Descriptor,
        ClientAssertions.CheckClaims.Descriptor,

        // ValidateTokenContext
        ClientAssertions.AcceptPlainJwtType.Descriptor,
        ClientAssertions.TypePlainJwtAsAssertion.Descriptor,
        ClientAssertions.AcceptTokenEndpointAudience.Descriptor,

        // ValidateTokenRequestContext
        ClientAuthThrottleHandler.AtTokenEndpoint,
        GrantTypeCheck.Descriptor,
        ClientAuthMethodCheck.AtTokenEndpoint,

        // ValidateRevocationRequestContext
        ClientAuthThrottleHandler.AtRevocationEndpoint,
        ClientAuthMethodCheck.AtRevocationEndpoint,
    ];
}
