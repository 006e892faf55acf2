using Latchkey.ControlPlane.Accounts;
using Latchkey.Storage;
using Marten;

namespace Latchkey.ControlPlane;

/// <summary>
/// The control plane's own documents and tables, added to the shared schema
/// (<see cref="StorageRegistration.ConfigurePlatformSchema"/>): console accounts, their sessions, and the
/// console's sign-in attempts. Together they are everything the control plane's migration applies.
/// </summary>
public static class ControlPlaneSchema
{
    public static void Configure(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Schema.For<Account>().Index(a => a.WorkspaceId);
        options.Schema.For<AccountSession>().Index(s => s.AccountId);
        options.Storage.ExtendedSchemaObjects.Add(AttemptCounter.TableOf(SignInFailures.Schema, SignInFailures.Table));
    }
}
