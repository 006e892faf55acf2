using Latchkey.OAuth2.Storage;
using Marten;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Login/consent flows of the current project. Saving checks the version, so each step happens once.
/// A completed flow is also Hydra's consent session: what was granted, to whom, and whether it is remembered.
/// Reads and writes go through the request's <see cref="UnitOfWork"/>: while a sign-in holds it, a step saved
/// here is committed with the sign-in.
/// </summary>
public sealed class FlowStore(UnitOfWork work, TimeProvider clock)
{
    public async Task<LoginConsentFlow?> FindAsync(Guid? id, CancellationToken ct) =>
        id is { } flowId ? await work.Session.LoadAsync<LoginConsentFlow>(flowId, ct) : null;

    public async Task<LogoutFlow?> FindLogoutAsync(Guid? id, CancellationToken ct) =>
        id is { } flowId ? await work.Session.LoadAsync<LogoutFlow>(flowId, ct) : null;

    /// <summary>Inserts a new login/consent or logout flow.</summary>
    public async Task InsertAsync<T>(T flow, CancellationToken ct) where T : notnull
    {
        work.Session.Insert(flow);
        await work.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Saves a step, and the login session it remembers if any, in one transaction; throws Marten's
    /// concurrency exception if another request took the step first (inside a sign-in, the sign-in fails instead).
    /// </summary>
    public async Task UpdateAsync(LoginConsentFlow flow, CancellationToken ct, LoginSession? remembered = null)
    {
        work.Session.Update(flow);
        if (remembered is not null) work.Session.Store(remembered);
        await work.SaveChangesAsync(ct);
    }

    /// <summary>Saves a logout step; completing one also ends its login session, in the same transaction.</summary>
    public async Task UpdateAsync(LogoutFlow flow, CancellationToken ct)
    {
        work.Session.Update(flow);
        if (flow.State == LogoutState.Completed) work.Session.Delete<LoginSession>(flow.Sid);
        await work.SaveChangesAsync(ct);
    }

    /// <summary>The newest remembered, unrevoked consent of this subject to this client that covers the request.</summary>
    public async Task<LoginConsentFlow?> FindRememberedConsentAsync(string subject, string clientId, IReadOnlyCollection<string> scopes, IReadOnlyCollection<string> audiences, CancellationToken ct)
    {
        var recent = await work.Session.Query<LoginConsentFlow>()
            .Where(f => f.Subject == subject && f.ClientId == clientId && f.State == FlowState.Completed && f.ConsentRemember && !f.ConsentRevoked)
            .OrderByDescending(f => f.ConsentHandledAt)
            .Take(20)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        return recent.FirstOrDefault(f => f.Covers(scopes, audiences, now));
    }

    /// <summary>Hydra's consent sessions of a subject: granted (not skipped) and not revoked, newest first.</summary>
    public async Task<IReadOnlyList<LoginConsentFlow>> ListConsentsAsync(string subject, string? loginSessionId, int offset, int count, CancellationToken ct)
    {
        var query = work.Session.Query<LoginConsentFlow>()
            .Where(f => f.Subject == subject && f.State == FlowState.Completed && !f.ConsentSkip && !f.ConsentRevoked);
        if (loginSessionId is not null) query = query.Where(f => f.LoginSessionId == loginSessionId);
        return await query.OrderByDescending(f => f.ConsentHandledAt).ThenBy(f => f.Id).Skip(offset).Take(count).ToListAsync(ct);
    }

    /// <summary>Marks a subject's consents revoked (all, one client's, or one consent); returns the clients they were given to.</summary>
    public async Task<IReadOnlyList<string>> RevokeConsentsAsync(string subject, string? clientId, Guid? consentId, CancellationToken ct)
    {
        var query = work.Session.Query<LoginConsentFlow>().Where(f => f.Subject == subject && f.State == FlowState.Completed && !f.ConsentRevoked);
        if (clientId is not null) query = query.Where(f => f.ClientId == clientId);
        if (consentId is { } id) query = query.Where(f => f.Id == id);
        var consents = await query.ToListAsync(ct);
        foreach (var consent in consents)
        {
            consent.ConsentRevoked = true;
            work.Session.Update(consent);
        }
        await work.SaveChangesAsync(ct);
        return [.. consents.Select(c => c.ClientId).Distinct()];
    }
}
