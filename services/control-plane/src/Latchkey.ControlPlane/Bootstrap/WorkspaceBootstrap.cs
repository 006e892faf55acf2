using Latchkey.ServiceDefaults;
using Latchkey.Storage;
using Marten;

namespace Latchkey.ControlPlane.Bootstrap;

/// <summary>
/// Makes sure someone can call the control plane on a fresh deployment. With
/// <c>LATCHKEY_BOOTSTRAP_WORKSPACE_KEY</c> set, that key (and workspace "default") exist afterwards.
/// Otherwise, when no workspace key exists at all: in the Development environment it creates workspace
/// "default" and a new key and writes the key to <c>&lt;state dir&gt;/workspace-api-key</c> (mode 600), the
/// only place it ever appears; in any other environment it refuses to start, because a key on one pod's
/// disk is lost with the pod and unknown to the operator: there the configured key is the only way.
/// A PostgreSQL advisory lock makes replicas that start together do this once.
/// </summary>
internal sealed class WorkspaceBootstrap(
    IDocumentStore store,
    SecretHasher hasher,
    PlatformSettings settings,
    IConfiguration configuration,
    IHostEnvironment environment,
    TimeProvider clock,
    ILogger<WorkspaceBootstrap> logger) : IHostedService
{
    public const string KeySetting = "LATCHKEY_BOOTSTRAP_WORKSPACE_KEY";
    public const string KeyFileName = "workspace-api-key";
    const string WorkspaceName = "default";

    // Any fixed number works; it only has to differ from other advisory locks on the same database.
    const long LockId = 0x4c4b_0001_0000_0001;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration[KeySetting];
        if (!string.IsNullOrWhiteSpace(configured) && !configured.StartsWith(Secrets.WorkspaceKeyPrefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"{KeySetting} must start with {Secrets.WorkspaceKeyPrefix}.");

        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(cancellationToken);
        // Held until the transaction ends, so a second replica waits here and then finds the work done.
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", cancellationToken, LockId);

        if (!string.IsNullOrWhiteSpace(configured)) await EnsureConfiguredKeyAsync(session, configured.Trim(), cancellationToken);
        else await EnsureSomeKeyAsync(session, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task EnsureConfiguredKeyAsync(IDocumentSession session, string value, CancellationToken ct)
    {
        var candidates = hasher.Candidates(value);
        if (await session.Query<ApiKey>().AnyAsync(k => candidates.Contains(k.Hash), ct)) return;

        var workspace = await DefaultWorkspaceAsync(session, ct);
        session.Insert(NewKey(workspace.Id, value));
        await session.SaveChangesAsync(ct);
        logger.LogInformation("Added the configured bootstrap workspace API key to workspace {WorkspaceId}.", workspace.Id);
    }

    async Task EnsureSomeKeyAsync(IDocumentSession session, CancellationToken ct)
    {
        if (await session.Query<ApiKey>().AnyAsync(k => k.Kind == ApiKeyKind.Workspace, ct)) return;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                $"No workspace API key exists and {KeySetting} is not set. Outside the Development environment " +
                $"(ASPNETCORE_ENVIRONMENT is '{environment.EnvironmentName}') the first key comes only from {KeySetting}: " +
                $"set it (from a Secret) to {Secrets.WorkspaceKeyPrefix} followed by at least 32 random characters.");

        var workspace = await DefaultWorkspaceAsync(session, ct);
        var value = Secrets.Generate(Secrets.WorkspaceKeyPrefix);
        session.Insert(NewKey(workspace.Id, value));
        // The file is written before the commit: if writing fails nothing is saved, and the next start tries again.
        var path = WriteKeyFile(value);
        await session.SaveChangesAsync(ct);
        logger.LogInformation(
            "Created workspace {WorkspaceId} and its first workspace API key; the key was written to {Path}.", workspace.Id, path);
    }

    async Task<Workspace> DefaultWorkspaceAsync(IDocumentSession session, CancellationToken ct)
    {
        var workspace = await session.Query<Workspace>().FirstOrDefaultAsync(w => w.Name == WorkspaceName, ct);
        if (workspace is not null) return workspace;
        workspace = new Workspace { Id = Guid.NewGuid(), Name = WorkspaceName, CreatedAt = clock.GetUtcNow() };
        session.Insert(workspace);
        return workspace;
    }

    ApiKey NewKey(Guid workspaceId, string value) => new()
    {
        Id = Guid.NewGuid(),
        Kind = ApiKeyKind.Workspace,
        WorkspaceId = workspaceId,
        Name = "bootstrap",
        Hash = hasher.Hash(value),
        LastCharacters = value[^4..],
        CreatedAt = clock.GetUtcNow(),
    };

    string WriteKeyFile(string value)
    {
        var directory = Path.GetFullPath(settings.StateDirectory);
        var path = Path.Combine(directory, KeyFileName);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            // UnixCreateMode only applies to a new file, so never reuse a stale temporary one.
            File.Delete(temporary);
        }
        using (var file = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
        {
            file.Write(value);
            file.Write('\n');
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
