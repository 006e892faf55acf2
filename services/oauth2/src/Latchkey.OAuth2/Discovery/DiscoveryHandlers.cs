using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Discovery;

/// <summary>Discovery's part in OpenIddict's pipeline.</summary>
public static class DiscoveryHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ApplyConfigurationResponseContext
        UseProjectIssuerInDiscovery.Descriptor,
    ];
}
