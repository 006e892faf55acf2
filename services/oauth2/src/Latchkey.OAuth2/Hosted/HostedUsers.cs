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
public sealed class HostedUsers(UnitOfWork work, NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Sign-in attempts per project (the scope is its tenant id) and email, in <see cref="OAuth2Schema.HostedLoginFailures"/>.</summary>
    readonly AttemptCounter _attempts = new(database, OAuth2Schema.Name, OAuth2Schema.HostedLoginFailures);

    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(5);

    public enum SignInStatus { Ok, Invalid, Throttled }

    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    public async Task<HostedUser?> FindAsync(Guid id, CancellationToken ct)
    {
        return await work.Session.LoadAsync<HostedUser>(id, ct);
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
        work.Session.Insert(user);
        try
        {
            await work.SaveChangesAsync(ct);
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
    /// <see cref="MaxFailures"/> attempts per window reach the password check. Success clears the count,
    /// and a hash in an older format or at a lower cost is replaced by today's, in one write.
    /// </summary>
    public async Task<(SignInStatus Status, HostedUser? User)> SignInAsync(string email, string password, CancellationToken ct)
    {
        var normalized = Normalize(email);
        var attempts = await _attempts.CountAsync(work.TenantId, normalized, clock.GetUtcNow(), FailureWindow, ct);
        if (attempts > MaxFailures) return (SignInStatus.Throttled, null);

        var user = await work.Session.Query<HostedUser>().Where(u => u.Email == normalized).FirstOrDefaultAsync(ct);

        // An unknown email is checked against a dummy hash, so both answers take as long.
        var check = PasswordHashing.Verify(password, user?.PasswordHash);
        if (check == PasswordVerificationResult.Failed || user is null) return (SignInStatus.Invalid, null);
        if (check == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // An older format or a lower cost: the password is at hand, so store today's hash.
            user.PasswordHash = PasswordHashing.Hash(password);
            work.Session.Update(user);
            await work.SaveChangesAsync(ct);
        }

        await _attempts.ClearAsync(work.TenantId, normalized, ct);
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
