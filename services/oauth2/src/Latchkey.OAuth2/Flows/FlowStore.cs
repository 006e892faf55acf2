using Latchkey.OAuth2.Storage;
using Marten;

namespace Latchkey.OAuth2.Flows;

/// <summary>Login/consent flows of the current project. Saving checks the version, so each step happens once.</summary>
public sealed class FlowStore(ProjectSessions sessions)
{
    public async Task<LoginConsentFlow?> FindAsync(Guid? id, CancellationToken ct)
    {
        if (id is not { } flowId) return null;
        await using var session = sessions.Query();
        return await session.LoadAsync<LoginConsentFlow>(flowId, ct);
    }

    public async Task InsertAsync(LoginConsentFlow flow, CancellationToken ct)
    {
        await using var session = sessions.Open();
        session.Insert(flow);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Saves a step; throws Marten's concurrency exception if another request took the step first.</summary>
    public async Task UpdateAsync(LoginConsentFlow flow, CancellationToken ct)
    {
        await using var session = sessions.Open();
        session.Update(flow);
        await session.SaveChangesAsync(ct);
    }
}
