using System.Globalization;
using Latchkey.ControlPlane.Accounts;
using Latchkey.OAuth2.Authorizations;
using Latchkey.OAuth2.Flows;
using Latchkey.OAuth2.Storage;
using Latchkey.OAuth2.Tests.Flows;
using Latchkey.OAuth2.Tokens;
using Latchkey.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Latchkey.OAuth2.Tests.Storage;

/// <summary>The janitor against real PostgreSQL, each test on a database of its own (the janitor sweeps every project).</summary>
public sealed class JanitorTests(ITestOutputHelper output)
{
    static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();
    static string NewTenant() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Run_100kExpiredTokensInOneProjectLiveInAnother_DeletesOnlyTheExpiredInBoundedBatches()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        string expired = NewTenant(), live = NewTenant();
        await db.InsertTokensAsync(expired, 100_000, Now.AddHours(-1));
        await db.InsertTokensAsync(live, 1_000, Now.AddHours(1));

        var report = await db.Janitor().RunAsync(new JanitorOptions { Targets = JanitorTargets.Tokens, BatchSize = 1_000 }, CancellationToken.None);

        var tokens = Assert.Single(report.Sweeps);
        Assert.Equal((100_000L, 100, 1_000), (tokens.Deleted, tokens.Batches, tokens.LargestBatch));
        Assert.Equal(0, await db.CountAsync(db.Tokens, expired));
        Assert.Equal(1_000, await db.CountAsync(db.Tokens, live));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tokens.Deleted} rows in {tokens.Batches} batches of {tokens.LargestBatch}: {report.Elapsed.TotalSeconds:0.00} s, {tokens.Deleted / report.Elapsed.TotalSeconds:0} rows/s"));
    }

    [Fact]
    public async Task Run_KeepIfYounger_KeepsWhatBecameUselessMoreRecently()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        var project = NewTenant();
        await db.InsertTokensAsync(project, 10, Now.AddHours(-48));
        await db.InsertTokensAsync(project, 20, Now.AddHours(-1));
        await db.InsertTokensAsync(project, 5, Now.AddHours(1), status: "revoked", createdAt: Now.AddHours(-30));
        await db.InsertTokensAsync(project, 7, Now.AddHours(1), status: "revoked", createdAt: Now.AddHours(-2));

        var report = await db.Janitor().RunAsync(
            new JanitorOptions { Targets = JanitorTargets.Tokens, KeepIfYounger = TimeSpan.FromHours(24) }, CancellationToken.None);

        Assert.Equal(15, Assert.Single(report.Sweeps).Deleted);
        Assert.Equal(27, await db.CountAsync(db.Tokens, project));
        Assert.InRange((report.Cutoff - Now.AddHours(-24)).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Run_Limit_StopsAtTheLimitInBatchesNoLargerThanAsked()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        var project = NewTenant();
        await db.InsertTokensAsync(project, 2_500, Now.AddHours(-1));

        var report = await db.Janitor().RunAsync(
            new JanitorOptions { Targets = JanitorTargets.Tokens, BatchSize = 300, Limit = 1_000 }, CancellationToken.None);

        var tokens = Assert.Single(report.Sweeps);
        Assert.Equal((1_000L, 4, 300), (tokens.Deleted, tokens.Batches, tokens.LargestBatch));
        Assert.Equal(1_500, await db.CountAsync(db.Tokens, project));
    }

    [Fact]
    public async Task Run_TwoJanitorsAtOnce_DeleteEveryRowOnceWithoutFailing()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        var project = NewTenant();
        await db.InsertTokensAsync(project, 20_000, Now.AddHours(-1));
        var options = new JanitorOptions { Targets = JanitorTargets.Tokens, BatchSize = 500 };

        var reports = await Task.WhenAll(db.Janitor().RunAsync(options, CancellationToken.None), db.Janitor().RunAsync(options, CancellationToken.None));

        Assert.Equal(20_000, reports.Sum(r => r.Deleted));
        Assert.All(reports, r => Assert.InRange(Assert.Single(r.Sweeps).LargestBatch, 0, 500));
        Assert.Equal(0, await db.CountAsync(db.Tokens));
    }

    [Fact]
    public async Task Run_DeletedProject_PurgesItsRowsOfEveryTable_KeepsLiveAndJustDeletedProjects()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        var gone = await ProjectAsync(db, ProjectState.Deleted, Now.AddHours(-2));
        var justGone = await ProjectAsync(db, ProjectState.Deleted, Now);
        var running = await ProjectAsync(db, ProjectState.Running, Now.AddDays(-9));
        var tables = ((Marten.IDocumentStore)db.OAuth2).Options.AllKnownDocumentTypes().Select(t => t.TableName.QualifiedName).ToList();
        var failures = $"{OAuth2Schema.Name}.{OAuth2Schema.HostedLoginFailures}";
        foreach (var tenant in new[] { gone, justGone, running })
        {
            foreach (var table in tables)
                await db.ExecuteAsync($"insert into {table} (tenant_id, id, data) values ($1, '{Guid.NewGuid()}', '{{}}')", tenant);
            await db.ExecuteAsync($"insert into {failures} (scope, key, attempts, window_started_at) values ($1, 'a@example.com', 1, now())", tenant);
        }

        var report = await db.Janitor().RunAsync(
            new JanitorOptions { Targets = JanitorTargets.Projects, KeepIfYounger = TimeSpan.FromHours(1) }, CancellationToken.None);

        Assert.Equal(tables.Count + 1, report.Deleted);
        Assert.Contains(report.Sweeps, s => s.Table == db.Tokens && s.Deleted == 1);
        foreach (var table in tables)
        {
            Assert.Equal(0, await db.CountAsync(table, gone));
            Assert.Equal(1, await db.CountAsync(table, justGone));
            Assert.Equal(1, await db.CountAsync(table, running));
        }
        Assert.Equal((0L, 1L, 1L), (await db.CountAsync(failures, gone, "scope"), await db.CountAsync(failures, justGone, "scope"), await db.CountAsync(failures, running, "scope")));
    }

    static async Task<string> ProjectAsync(JanitorDatabase db, ProjectState state, DateTimeOffset updatedAt)
    {
        var project = new StoredProject { Id = Guid.NewGuid(), WorkspaceId = Guid.NewGuid(), Slug = "p" + Guid.NewGuid().ToString("N")[..12], State = state, CreatedAt = updatedAt, UpdatedAt = updatedAt };
        await using var session = db.Platform.LightweightSession();
        session.Store(project);
        await session.SaveChangesAsync();
        return project.ToInfo().TenantId;
    }

    [Fact]
    public async Task Run_Everything_DeletesOnlyUnusableFlowsSessionsGrantsAndSignInRecords()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        var project = NewTenant();
        var abandoned = TestFlows.Requested(Now.AddMinutes(-5) - TestFlows.Ttl);
        var pending = TestFlows.Requested(Now);
        var consent = TestFlows.Completed(Now.AddMinutes(-5) - TestFlows.Ttl);
        var logout = new LogoutFlow { Id = Guid.NewGuid(), ExpiresAt = Now.AddMinutes(-1) };
        var revoked = new AuthorizationEntry { Id = Guid.NewGuid(), Status = "revoked", Type = "permanent", CreationDate = Now.AddDays(-1) };
        var deadChain = new AuthorizationEntry { Id = Guid.NewGuid(), Status = "valid", Type = "ad-hoc", CreationDate = Now.AddDays(-1) };
        var liveChain = new AuthorizationEntry { Id = Guid.NewGuid(), Status = "valid", Type = "ad-hoc", CreationDate = Now.AddDays(-1) };
        var remembered = new AuthorizationEntry { Id = Guid.NewGuid(), Status = "valid", Type = "permanent", CreationDate = Now.AddDays(-1) };
        var redeemed = new TokenEntry { Id = Guid.NewGuid(), AuthorizationId = deadChain.Id.ToString(), Status = "redeemed", Signature = "a", CreationDate = Now.AddHours(-1), ExpirationDate = Now.AddDays(1) };
        var refresh = new TokenEntry { Id = Guid.NewGuid(), AuthorizationId = liveChain.Id.ToString(), Status = "valid", Signature = "b", CreationDate = Now.AddHours(-1), ExpirationDate = Now.AddDays(1) };
        await using (var session = db.OAuth2.LightweightSession(project))
        {
            session.Store(abandoned, pending, consent);
            session.Store(logout);
            session.Store(new LoginSession { Id = "expired", Subject = "alice", ExpiresAt = Now.AddMinutes(-1) }, new LoginSession { Id = "live", Subject = "alice", ExpiresAt = Now.AddDays(1) });
            session.Store(revoked, deadChain, liveChain, remembered);
            session.Store(redeemed, refresh);
            await session.SaveChangesAsync();
        }
        var expiredSession = new ApiKey { Id = Guid.NewGuid(), Name = ApiKey.ConsoleSessionName, Hash = "h1", ExpiresAt = Now.AddMinutes(-1) };
        var liveSession = new ApiKey { Id = Guid.NewGuid(), Name = ApiKey.ConsoleSessionName, Hash = "h2", ExpiresAt = Now.AddHours(1) };
        var expiredApiKey = new ApiKey { Id = Guid.NewGuid(), Name = "ci", Hash = "h3", ExpiresAt = Now.AddDays(-1) };
        await using (var session = db.Platform.LightweightSession())
        {
            session.Store(expiredSession, liveSession, expiredApiKey);
            session.Store(new AccountSession { Id = expiredSession.Id, AccountId = "a@example.com" }, new AccountSession { Id = liveSession.Id, AccountId = "a@example.com" });
            await session.SaveChangesAsync();
        }
        foreach (var table in new[] { ConsoleTables.SignInFailures, $"{OAuth2Schema.Name}.{OAuth2Schema.HostedLoginFailures}" })
        {
            await db.ExecuteAsync($"insert into {table} (scope, key, attempts, window_started_at) values ($1, 'old', 3, now() - interval '2 days')", project);
            await db.ExecuteAsync($"insert into {table} (scope, key, attempts, window_started_at) values ($1, 'recent', 3, now() - interval '1 minute')", project);
        }

        var report = await db.Janitor().RunAsync(new JanitorOptions(), CancellationToken.None);

        await using var check = db.OAuth2.QuerySession(project);
        Assert.Null(await check.LoadAsync<LoginConsentFlow>(abandoned.Id));
        Assert.NotNull(await check.LoadAsync<LoginConsentFlow>(pending.Id));
        Assert.NotNull(await check.LoadAsync<LoginConsentFlow>(consent.Id));
        Assert.Null(await check.LoadAsync<LogoutFlow>(logout.Id));
        Assert.Null(await check.LoadAsync<LoginSession>("expired"));
        Assert.NotNull(await check.LoadAsync<LoginSession>("live"));
        Assert.Null(await check.LoadAsync<AuthorizationEntry>(revoked.Id));
        Assert.Null(await check.LoadAsync<AuthorizationEntry>(deadChain.Id));
        Assert.NotNull(await check.LoadAsync<AuthorizationEntry>(liveChain.Id));
        Assert.NotNull(await check.LoadAsync<AuthorizationEntry>(remembered.Id));
        // A redeemed token stays until it expires: presenting it again must still revoke its chain.
        Assert.NotNull(await check.LoadAsync<TokenEntry>(redeemed.Id));
        await using var platform = db.Platform.QuerySession();
        Assert.Null(await platform.LoadAsync<ApiKey>(expiredSession.Id));
        Assert.Null(await platform.LoadAsync<AccountSession>(expiredSession.Id));
        Assert.NotNull(await platform.LoadAsync<ApiKey>(liveSession.Id));
        Assert.NotNull(await platform.LoadAsync<AccountSession>(liveSession.Id));
        Assert.NotNull(await platform.LoadAsync<ApiKey>(expiredApiKey.Id));
        Assert.Equal(1, await db.CountAsync(ConsoleTables.SignInFailures));
        Assert.Equal(1, await db.CountAsync($"{OAuth2Schema.Name}.{OAuth2Schema.HostedLoginFailures}"));
        Assert.Equal(9, report.Deleted);
    }

    [Fact]
    public async Task Service_EveryInterval_RunsTheJanitor()
    {
        await using var db = await JanitorDatabase.CreateAsync();
        await db.InsertTokensAsync(NewTenant(), 50, Now.AddHours(-1));
        var clock = new FakeTimeProvider(Now);
        using var service = new JanitorService(
            new Janitor(db.DataSource, db.OAuth2, db.Platform, clock), new JanitorSettings(TimeSpan.FromMinutes(10), TimeSpan.Zero), clock, NullLogger<JanitorService>.Instance);
        await service.StartAsync(CancellationToken.None);
        Assert.Equal(50, await db.CountAsync(db.Tokens));

        clock.Advance(TimeSpan.FromMinutes(10));

        for (var attempt = 0; attempt < 400 && await db.CountAsync(db.Tokens) > 0; attempt++) await Task.Delay(25);
        Assert.Equal(0, await db.CountAsync(db.Tokens));
        await service.StopAsync(CancellationToken.None);
    }
}
