using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Storage;
using Latchkey.Storage;
using Npgsql;

namespace Latchkey.OAuth2.Device;

/// <summary>
/// Device requests of the current project, through the request's <see cref="UnitOfWork"/> (inside a sign-in a step
/// saved here is committed with it), and the user-code attempt counts that bound guessing, in PostgreSQL so every
/// replica counts the same attempts (<see cref="AttemptCounter"/>: one atomic statement per attempt).
/// </summary>
public sealed class DeviceStore(UnitOfWork work, NpgsqlDataSource database)
{
    readonly AttemptCounter _attempts = new(database, OAuth2Schema.Name, OAuth2Schema.DeviceUserCodeAttempts);

    public async Task<DeviceRequest?> FindAsync(Guid? id, CancellationToken ct) =>
        id is { } requestId ? await work.Session.LoadAsync<DeviceRequest>(requestId, ct) : null;

    public async Task InsertAsync(DeviceRequest request, CancellationToken ct)
    {
        work.Session.Insert(request);
        await work.SaveChangesAsync(ct);
    }

    /// <summary>Saves a step, and the login flow it starts if any, in one write; throws Marten's concurrency exception if another request took it first.</summary>
    public async Task UpdateAsync(DeviceRequest request, CancellationToken ct, LoginConsentFlow? started = null)
    {
        work.Session.Update(request);
        if (started is not null) work.Session.Insert(started);
        await work.SaveChangesAsync(ct);
    }

    /// <summary>Counts one user-code attempt under <paramref name="key"/> in this project; answers the window's count, this one included.</summary>
    public Task<int> CountAttemptAsync(string key, DateTimeOffset now, TimeSpan window, CancellationToken ct) =>
        _attempts.CountAsync(work.TenantId, key, now, window, ct);
}
