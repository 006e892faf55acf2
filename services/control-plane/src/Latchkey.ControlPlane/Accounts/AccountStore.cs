using JasperFx;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// Accounts and their console sessions. A session is a short-lived workspace API key: the console keeps it
/// (encrypted) in its cookie and calls the control plane and project admin APIs with it like any client,
/// so there is one way to authenticate a workspace, and an expired or revoked session simply stops working.
/// </summary>
internal sealed class AccountStore(
    IDocumentStore store, NpgsqlDataSource dataSource, SecretHasher hasher, RedisConnection redis, ApiKeyDirectory apiKeys, SignInFailures failures, TimeProvider clock)
{
    public const string SessionKeyName = ApiKey.ConsoleSessionName;
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);
    const int MaxFailures = 5;
    static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(5);

    /// <summary>Creates an account in a new workspace of its own, or in <paramref name="workspaceId"/> when given.</summary>
    public async Task<OryError?> CreateAsync(string email, string password, Guid? workspaceId, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<Account>(email, ct) is not null) return AccountErrors.EmailTaken;

        var now = clock.GetUtcNow();
        if (workspaceId is null)
        {
            var workspace = new Workspace { Id = Guid.NewGuid(), Name = email, CreatedAt = now };
            session.Insert(workspace);
            workspaceId = workspace.Id;
        }
        session.Insert(new Account { Id = email, WorkspaceId = workspaceId.Value, PasswordHash = PasswordHashing.Hash(password), CreatedAt = now });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (DocumentAlreadyExistsException)
        {
            // Two sign-ups for one email raced; the primary key let exactly one through.
            return AccountErrors.EmailTaken;
        }
        return null;
    }

    /// <summary>
    /// Counts the attempt, then checks the password and issues a session key; throttled per email address.
    /// The count comes first and is atomic, so a burst of guesses gets at most <see cref="MaxFailures"/>
    /// password checks however it is timed, and a success clears it.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(string email, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await failures.CountAttemptAsync(email, now, FailureWindow, ct) > MaxFailures) return SignInOutcome.Throttled;

        await using var session = store.LightweightSession();
        var account = await session.LoadAsync<Account>(email, ct);
        // An unknown email is checked against a decoy, so it takes as long as a wrong password.
        var check = PasswordHashing.Verify(password, account?.PasswordHash);
        if (check == PasswordVerificationResult.Failed || account is null) return SignInOutcome.WrongCredentials;
        if (check == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // An older format or a lower cost: the password is at hand, so store today's hash with the session.
            account.PasswordHash = PasswordHashing.Hash(password);
            session.Update(account);
        }

        var value = Secrets.Generate(Secrets.WorkspaceKeyPrefix);
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Kind = ApiKeyKind.Workspace,
            WorkspaceId = account.WorkspaceId,
            Name = SessionKeyName,
            Hash = hasher.Hash(value),
            LastCharacters = value[^4..],
            CreatedAt = now,
            ExpiresAt = now + SessionLifetime,
        };
        session.Insert(key);
        session.Insert(new AccountSession { Id = key.Id, AccountId = account.Id, WorkspaceId = account.WorkspaceId });
        await session.SaveChangesAsync(ct);
        await failures.ClearAsync(email, ct);
        return new SignInOutcome(key, value);
    }

    /// <summary>True for a console session key (short-lived, issued by sign-in), false for a workspace API key.</summary>
    public static bool IsSession(ApiKey key) => key.Name == SessionKeyName && key.ExpiresAt is not null;

    /// <summary>
    /// Checks that the account signed in with session <paramref name="key"/> re-entered its password. Counted and
    /// throttled like a sign-in, so a stolen session cannot guess the password faster than the sign-in page allows.
    /// </summary>
    public async Task<OryError?> ConfirmOwnerAsync(ApiKey key, string? password, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(password)) return AccountErrors.OwnerPasswordRequired;
        await using var session = store.QuerySession();
        if (await session.LoadAsync<AccountSession>(key.Id, ct) is not { } owner) return AccountErrors.OwnerPasswordRequired;
        if (await failures.CountAttemptAsync(owner.AccountId, clock.GetUtcNow(), FailureWindow, ct) > MaxFailures) return AccountErrors.TooManyAttempts;
        var account = await session.LoadAsync<Account>(owner.AccountId, ct);
        if (PasswordHashing.Verify(password, account?.PasswordHash) == PasswordVerificationResult.Failed) return AccountErrors.WrongOwnerPassword;
        await failures.ClearAsync(owner.AccountId, ct);
        return null;
    }

    public async Task<IReadOnlyList<Account>> ListAsync(Guid workspaceId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<Account>().Where(a => a.WorkspaceId == workspaceId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Deletes an account of the workspace and revokes its sessions at once; never the workspace's last account.
    /// Deletions in one workspace take turns (an advisory lock), so two at once cannot remove its last two accounts.
    /// </summary>
    public async Task<OryError?> DeleteAsync(Guid workspaceId, string email, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var turn = new NpgsqlCommand("select pg_advisory_xact_lock(@key)", connection, transaction))
        {
            turn.Parameters.AddWithValue("key", BitConverter.ToInt64(workspaceId.ToByteArray()));
            await turn.ExecuteNonQueryAsync(ct);
        }

        List<Guid> revoked;
        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            var accounts = await session.Query<Account>().Where(a => a.WorkspaceId == workspaceId).Select(a => a.Id).ToListAsync(ct);
            if (!accounts.Contains(email)) return AccountErrors.NotFound;
            if (accounts.Count == 1) return AccountErrors.LastAccount;

            revoked = [.. await session.Query<AccountSession>().Where(s => s.AccountId == email).Select(s => s.Id).ToListAsync(ct)];
            session.Delete<Account>(email);
            foreach (var id in revoked)
            {
                session.Delete<ApiKey>(id);
                session.Delete<AccountSession>(id);
            }
            await session.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);

        apiKeys.ForgetAll();
        foreach (var id in revoked) await ApiKeyDirectory.AnnounceRevokedAsync(redis, id);
        return null;
    }

    /// <summary>Revokes a console session key at once, on every replica.</summary>
    public async Task RevokeAsync(ApiKey key, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Delete<ApiKey>(key.Id);
        session.Delete<AccountSession>(key.Id);
        await session.SaveChangesAsync(ct);
        apiKeys.ForgetAll();
        await ApiKeyDirectory.AnnounceRevokedAsync(redis, key.Id);
    }
}
