using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Trust;

/// <summary>The jwt-bearer grant's part in OpenIddict's pipeline.</summary>
public static class TrustHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // HandleTokenRequestContext
        JwtBearerGrant.Descriptor,
    ];
}
