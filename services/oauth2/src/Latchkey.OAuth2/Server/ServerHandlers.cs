using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Server;

/// <summary>What the server itself adds to OpenIddict's pipeline: the project's exact issuer string.</summary>
public static class ServerHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ApplyAuthorizationResponseContext
        ExactIssuer.InAuthorizationResponses.Descriptor,

        // ApplyUserInfoResponseContext
        ExactIssuer.InUserInfoResponses.Descriptor,
    ];
}
