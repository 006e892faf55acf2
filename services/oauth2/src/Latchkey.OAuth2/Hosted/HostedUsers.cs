using Latchkey.OAuth2.Storage;
using Marten;
using Npgsql;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The current project's hosted users: sign-up, and sign-in with a uniform answer for a wrong email or a
/// wrong password and a limit on repeated failures per email.
/// </summary>
public sealed class HostedUsers(ProjectSessions sessions, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(5);

    public enum SignInStatus { Ok, Invalid, Throttled }

    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    public async Task<HostedUser?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var session = sessions.Query();
        return await session.LoadAsync<HostedUser>(id, ct);
    }

    /// <summary>Null when the email is already taken in this project.</summary>
    public async Task<HostedUser?> CreateAsync(string email, string password, CancellationToken ct)
    {
        var user = new HostedUser
        {
            Id = Guid.NewGuid(),
            Email = Normalize(email),
            PasswordHash = PasswordHasher.Hash(password),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var session = sessions.Open();
        session.Insert(user);
        try
        {
            await session.SaveChangesAsync(ct);
            return user;
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            return null;
        }
    }

    public async Task<(SignInStatus Status, HostedUser? User)> SignInAsync(string email, string password, CancellationToken ct)
    {
        var normalized = Normalize(email);
        var now = clock.GetUtcNow();
        HostedUser? user;
        HostedLoginFailures? failures;
        await using (var query = sessions.Query())
        {
            user = await query.Query<HostedUser>().Where(u => u.Email == normalized).FirstOrDefaultAsync(ct);
            failures = await query.LoadAsync<HostedLoginFailures>(normalized, ct);
        }
        var inWindow = failures is not null && now - failures.WindowStart < FailureWindow;
        if (inWindow && failures!.Count >= MaxFailures) return (SignInStatus.Throttled, null);

        // An unknown email is checked against a dummy hash, so both answers take as long.
        var valid = PasswordHasher.Verify(password, user?.PasswordHash);
        if (valid && user is not null)
        {
            if (failures is not null)
            {
                await using var session = sessions.Open();
                session.Delete(failures);
                await session.SaveChangesAsync(ct);
            }
            return (SignInStatus.Ok, user);
        }

        failures = inWindow ? failures! : new HostedLoginFailures { Id = normalized, WindowStart = now };
        failures.Count++;
        await using (var session = sessions.Open())
        {
            session.Store(failures);
            await session.SaveChangesAsync(ct);
        }
        return (SignInStatus.Invalid, null);
    }

    static bool IsUniqueViolation(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        }
        return false;
    }
}
