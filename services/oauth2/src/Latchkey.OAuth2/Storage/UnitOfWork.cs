using Marten;

namespace Latchkey.OAuth2.Storage;

/// <summary>
/// The request's one Marten session on the oauth2 store, bound to the request's project. Every store reads
/// through <see cref="Session"/> and queues its writes there; <see cref="SaveChangesAsync"/> is where they
/// reach the database. A sign-in holds the unit open (<see cref="SignInWrites"/>): from <see cref="Hold"/>
/// on, saves only queue, and <see cref="CommitHeldAsync"/> writes all of it in one transaction — one
/// database write per login step, nothing written when a step fails or a version check does.
/// </summary>
public sealed class UnitOfWork([FromKeyedServices(typeof(IOAuth2Store))] ISessionFactory sessions) : IAsyncDisposable, IDisposable
{
    IDocumentSession? _session;
    bool _held;

    public IDocumentSession Session => _session ??= sessions.OpenSession();

    /// <summary>
    /// The project's tenant. From <see cref="ProjectSessionFactory"/> without opening a session: a client-credentials
    /// token request asks for it (client cache key, token insert) but never needs a session.
    /// </summary>
    public string TenantId => _session?.TenantId ?? (sessions as ProjectSessionFactory)?.TenantId ?? Session.TenantId;

    /// <summary>
    /// Writes what is queued, in one transaction, unless a sign-in holds the unit open. A failed write
    /// (Marten's <see cref="JasperFx.ConcurrencyException"/> when a version check fails) writes nothing
    /// and leaves nothing queued, so a later save in the request does not retry it.
    /// </summary>
    public Task SaveChangesAsync(CancellationToken ct) => _held ? Task.CompletedTask : WriteAsync(ct);

    /// <summary>From now until <see cref="CommitHeldAsync"/>, saves only queue.</summary>
    public void Hold() => _held = true;

    /// <summary>Ends the hold and writes everything queued since; false when a version check failed (nothing is written then).</summary>
    public async Task<bool> CommitHeldAsync(CancellationToken ct)
    {
        _held = false;
        try
        {
            await WriteAsync(ct);
            return true;
        }
        catch (JasperFx.ConcurrencyException)
        {
            return false;
        }
    }

    async Task WriteAsync(CancellationToken ct)
    {
        if (_session is not { } session || !session.PendingChanges.Operations().Any()) return;
        try
        {
            await session.SaveChangesAsync(ct);
        }
        finally
        {
            session.EjectAllPendingChanges();
        }
    }

    /// <summary>What is still queued (a sign-in that did not finish) is dropped, never written.</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is { } session) await session.DisposeAsync();
        _session = null;
    }
}
