using Latchkey.Storage;
using Marten;

namespace Latchkey.ControlPlane;

/// <summary>What <c>dotnet Latchkey.ControlPlane.dll migrate</c> applies: the one store the service opens.</summary>
public static class ControlPlaneMigration
{
    public static IReadOnlyList<Action<StoreOptions>> Stores { get; } =
    [
        options =>
        {
            StorageRegistration.ConfigurePlatformSchema(options);
            ControlPlaneSchema.Configure(options);
        },
    ];
}
