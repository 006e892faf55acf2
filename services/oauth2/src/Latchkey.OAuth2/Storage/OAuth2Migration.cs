using Latchkey.Storage;
using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>What <c>dotnet Latchkey.OAuth2.dll migrate</c> applies: both stores the service opens.</summary>
public static class OAuth2Migration
{
    public static IReadOnlyList<Action<StoreOptions>> Stores { get; } =
        [StorageRegistration.ConfigurePlatformSchema, OAuth2Schema.Configure];
}
