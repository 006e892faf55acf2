using Latchkey.OAuth2.Storage;
using Latchkey.Storage;
using Marten;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The current project's hosted users: sign-up, and sign-in with a uniform answer for a wrong email or a
/// wrong password and a limit on repeated failures per email.
/// </summary>
public sealed class HostedUsers(ProjectSessions sessions, NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Sign-in attempts per project (the scope is its tenant id) and email; <see cref="OAuth2Storage"/> creates the table.</summary>
    public const string AttemptsSchema = "oauth2", AttemptsTable = "hosted_login_failures";

    readonly AttemptCounter _attempts = new(database, AttemptsSchema, AttemptsTable);

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
            PasswordHash = PasswordHashing.Hash(password),
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

    /// <summary>
    /// Counts the attempt first, in one atomic upsert that returns the new count, and only then checks the
    /// password, so concurrent guesses cannot all read the same old count: of any burst, at most
    /// <see cref="MaxFailures"/> attempts per window reach the password check. Success clears the count.
    /// </summary>
    public async Task<(SignInStatus Status, HostedUser? User)> SignInAsync(string email, string password, CancellationToken ct)
    {
        var normalized = Normalize(email);
        var attempts = await _attempts.CountAsync(sessions.TenantId, normalized, clock.GetUtcNow(), FailureWindow, ct);
        if (attempts > MaxFailures) return (SignInStatus.Throttled, null);

        HostedUser? user;
        await using (var query = sessions.Query())
            user = await query.Query<HostedUser>().Where(u => u.Email == normalized).FirstOrDefaultAsync(ct);

        // An unknown email is checked against a dummy hash, so both answers take as long.
        if (PasswordHashing.Verify(password, user?.PasswordHash) == PasswordVerificationResult.Failed || user is null) return (SignInStatus.Invalid, null);

        await _attempts.ClearAsync(sessions.TenantId, normalized, ct);
        return (SignInStatus.Ok, user);
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
