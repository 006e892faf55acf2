using JasperFx;
using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;

namespace Latchkey.ControlPlane.Accounts;

/// <summary>
/// Accounts and their console sessions. A session is a short-lived workspace API key: the console keeps it
/// (encrypted) in its cookie and calls the control plane and project admin APIs with it like any client,
/// so there is one way to authenticate a workspace, and an expired or revoked session simply stops working.
/// </summary>
internal sealed class AccountStore(IDocumentStore store, SecretHasher hasher, RedisConnection redis, ApiKeyDirectory apiKeys, TimeProvider clock)
{
    public const string SessionKeyName = "console session";
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

    /// <summary>Checks the password and issues a session key; throttled per email address after repeated failures.</summary>
    public async Task<(ApiKey Key, string Value)?> SignInAsync(string email, string password, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var account = await session.LoadAsync<Account>(email, ct);
        // Always hash, so an unknown email takes as long as a wrong password.
        var valid = PasswordHashing.Verify(password, account?.PasswordHash ?? PasswordHashing.Decoy) && account is not null;
        var now = clock.GetUtcNow();
        if (!valid)
        {
            var failures = await session.LoadAsync<SignInFailures>(email, ct) ?? new SignInFailures { Id = email };
            failures.At = [.. failures.At.Where(at => at > now - FailureWindow).Append(now).TakeLast(MaxFailures * 2)];
            session.Store(failures);
            await session.SaveChangesAsync(ct);
            return null;
        }

        var value = Secrets.Generate(Secrets.WorkspaceKeyPrefix);
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Kind = ApiKeyKind.Workspace,
            WorkspaceId = account!.WorkspaceId,
            Name = SessionKeyName,
            Hash = hasher.Hash(value),
            LastCharacters = value[^4..],
            CreatedAt = now,
            ExpiresAt = now + SessionLifetime,
        };
        session.Insert(key);
        session.Delete<SignInFailures>(email);
        await session.SaveChangesAsync(ct);
        return (key, value);
    }

    /// <summary>True when the email has failed too often lately; checked before the password, so a guesser learns nothing more.</summary>
    public async Task<bool> IsThrottledAsync(string email, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var failures = await session.LoadAsync<SignInFailures>(email, ct);
        var since = clock.GetUtcNow() - FailureWindow;
        return failures is not null && failures.At.Count(at => at > since) >= MaxFailures;
    }

    /// <summary>Revokes a console session key at once, on every replica.</summary>
    public async Task RevokeAsync(ApiKey key, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Delete<ApiKey>(key.Id);
        await session.SaveChangesAsync(ct);
        apiKeys.ForgetAll();
        await ApiKeyDirectory.AnnounceRevokedAsync(redis, key.Id);
    }
}
