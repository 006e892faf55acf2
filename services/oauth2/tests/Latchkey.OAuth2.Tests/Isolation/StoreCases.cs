using JasperFx;
using Npgsql;

namespace Latchkey.OAuth2.Tests.Isolation;

/// <summary>
/// One store's part of the isolation suite: what the owning project has before each call, and every public
/// data method of the store, called by a project on what the owner has. A call answers true when it saw or
/// changed the owner's data. Getters and setters over an entity already in hand are not data access.
/// </summary>
public abstract class StoreCases
{
    public abstract Task SeedAsync(ProjectScope owner);

    public abstract IReadOnlyDictionary<string, Func<ProjectScope, ProjectScope, Task<bool>>> Methods { get; }

    /// <summary>Fresh cases of every store, each with its own seed state.</summary>
    public static IReadOnlyDictionary<string, StoreCases> All() => new Dictionary<string, StoreCases>
    {
        ["ClientStore"] = new ClientStoreCases(),
        ["TokenStore"] = new TokenStoreCases(),
        ["AuthorizationStore"] = new AuthorizationStoreCases(),
        ["FlowStore"] = new FlowStoreCases(),
        ["LoginSessions"] = new LoginSessionsCases(),
        ["HostedUsers"] = new HostedUsersCases(),
        ["DeviceStore"] = new DeviceStoreCases(),
        ["ProjectKeyRing"] = new ProjectKeyRingCases(),
        ["TrustStore"] = new TrustStoreCases(),
        ["AssertionJtis"] = new AssertionJtisCases(),
    };

    /// <summary>True when the write went through; false when it was refused as a conflict with existing data.</summary>
    protected static async Task<bool> SucceedsAsync(Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (Exception e) when (IsConflict(e))
        {
            return false;
        }
    }

    /// <summary>True when an insert collided with a row of the same project (same id or unique key).</summary>
    protected static async Task<bool> CollidesAsync(Func<Task> insert) => !await SucceedsAsync(insert);

    static bool IsConflict(Exception e) =>
        e is ConcurrencyException or DocumentAlreadyExistsException or OpenIddict.Abstractions.OpenIddictExceptions.ConcurrencyException
        || (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        || (e.InnerException is { } inner && IsConflict(inner));

    protected static async Task<bool> AnyAsync<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items) return true;
        return false;
    }
}
