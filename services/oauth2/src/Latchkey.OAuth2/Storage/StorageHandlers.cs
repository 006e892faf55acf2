using System.Collections.Immutable;
using OpenIddict.Server;

namespace Latchkey.OAuth2.Storage;

/// <summary>The sign-in's one unit of work, opened first and committed before the response is built.</summary>
public static class StorageHandlers
{
    public static ImmutableArray<OpenIddictServerHandlerDescriptor> Handlers { get; } =
    [
        // ProcessSignInContext
        SignInWrites.BeginHandler.Descriptor,
        SignInWrites.CommitHandler.Descriptor,
    ];
}
