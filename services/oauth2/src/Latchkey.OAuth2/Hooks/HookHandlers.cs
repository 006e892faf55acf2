using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Hooks;

/// <summary>The hook feature's handlers in OpenIddict's pipeline, in pipeline order.</summary>
public static class HookHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ProcessSignInContext
        TokenHook.Descriptor,
    ];
}
