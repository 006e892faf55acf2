using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Storage.Usage;
using Latchkey.Testing;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A platform of its own for metering: flushes every half second and a tiny monthly token quota, which
/// the shared platform must not have. Its oauth2 service is restarted by a test.
/// </summary>
public sealed class UsagePlatformFixture : IAsyncLifetime
{
    public const int MonthlyQuota = 10;

    public PlatformFixture Platform { get; } = new()
    {
        ExtraArgs =
        [
            "--LATCHKEY_USAGE_FLUSH_SECONDS=0.5",
            "--LATCHKEY_USAGE_QUOTA_REFRESH_SECONDS=1",
            $"--LATCHKEY_PLAN_DEFAULT_MONTHLY_TOKENS={MonthlyQuota}",
        ],
    };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class UsageCollection : ICollectionFixture<UsagePlatformFixture>
{
    public const string Name = "usage";
}

/// <summary>A platform whose services have no Redis at all: counts are kept in process and written straight to PostgreSQL.</summary>
public sealed class NoRedisPlatformFixture : IAsyncLifetime
{
    public PlatformFixture Platform { get; } = new() { ExtraArgs = ["--LATCHKEY_REDIS_URL=", "--LATCHKEY_USAGE_FLUSH_SECONDS=0.5"] };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class NoRedisCollection : ICollectionFixture<NoRedisPlatformFixture>
{
    public const string Name = "usage-without-redis";
}

[Collection(NoRedisCollection.Name)]
public sealed class UsageWithoutRedisTests(NoRedisPlatformFixture fixture)
{
    readonly UsageProbe _usage = new(fixture.Platform);

    [Fact]
    public async Task Usage_WithoutRedis_EveryTokenAndAdminCallCountedOnceAcrossRestart()
    {
        var project = await _usage.Api.CreateProjectAsync("no-redis");
        var client = await _usage.Api.CreateClientAsync(project);
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await _usage.RequestTokenAsync(project, client)).StatusCode);

        await fixture.Platform.RestartOAuth2Async();
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await _usage.RequestTokenAsync(project, client)).StatusCode);

        await _usage.WaitUntilFlushedAsync(project, 6);
        await UsageProbe.WaitForAsync(async () => await _usage.FlushedAsync(project, "admin_calls") == 1);
        var today = await _usage.TodayAsync(project);
        Assert.Equal(6, today["tokens"]!["client_credentials"]!.GetValue<long>());
        Assert.Equal(1, today["admin_calls"]!.GetValue<long>());
        Assert.Equal(1, today["active_clients"]!.GetValue<long>());
    }
}

[Collection(UsageCollection.Name)]
public sealed class UsageTests(UsagePlatformFixture fixture)
{
    readonly PlatformFixture _platform = fixture.Platform;
    readonly UsageProbe _usage = new(fixture.Platform);

    Api Api => _usage.Api;

    [Fact]
    public async Task Usage_TokensIssued_CountedExactlyOnceByGrantType()
    {
        var project = await Api.CreateProjectAsync("metered");
        var client = await Api.CreateClientAsync(project);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await _usage.RequestTokenAsync(project, client)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _usage.RequestTokenAsync(project, client, scope: "admin")).StatusCode);

        await _usage.WaitUntilFlushedAsync(project, 5);
        var usage = await _usage.GetAsync(project);
        var today = await _usage.TodayAsync(project);
        Assert.Equal(5, today["tokens"]!["client_credentials"]!.GetValue<long>());
        Assert.Equal(5, today["tokens_total"]!.GetValue<long>());
        Assert.Equal(1, today["active_clients"]!.GetValue<long>());
        Assert.Equal(0, today["distinct_subjects"]!.GetValue<long>());
        Assert.Equal(5, usage["totals"]!["tokens"]!["client_credentials"]!.GetValue<long>());
        Assert.Equal(5, usage["plan"]!["tokens_this_month"]!.GetValue<long>());

        // Later flushes find nothing more to add.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(5, await _usage.FlushedTokensAsync(project));
    }

    [Fact]
    public async Task Usage_AcrossOAuth2Restart_EveryTokenCountedOnce()
    {
        var project = await Api.CreateProjectAsync("restarted");
        var client = await Api.CreateClientAsync(project);
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await _usage.RequestTokenAsync(project, client)).StatusCode);

        await _platform.RestartOAuth2Async();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await _usage.RequestTokenAsync(project, client)).StatusCode);

        await _usage.WaitUntilFlushedAsync(project, 7);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(7, await _usage.FlushedTokensAsync(project));
        var usage = await _usage.GetAsync(project);
        Assert.Equal(7, usage["totals"]!["tokens"]!["client_credentials"]!.GetValue<long>());
        Assert.Equal(7, usage["totals"]!["tokens_total"]!.GetValue<long>());
    }

    /// <summary>
    /// A replica that dies mid-flush leaves its flush key in Redis: another replica settles it by the flush id
    /// in PostgreSQL — restored if it never committed, dropped if it did. White box: it plants such keys itself.
    /// </summary>
    [Fact]
    public async Task Usage_FlushAbandonedByDeadReplica_IsSettledExactlyOnce()
    {
        var project = await Api.CreateProjectAsync("abandoned");
        var client = await Api.CreateClientAsync(project);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await _usage.RequestTokenAsync(project, client)).StatusCode);
        await _usage.WaitUntilFlushedAsync(project, 3);

        var projectId = Guid.Parse(project.Id);
        var workspaceId = await _usage.ScalarAsync<Guid>("select workspace_id from latchkey.usage_days where project_id = @project limit 1", projectId);
        var scope = await _usage.ScalarAsync<string>("select value from latchkey.usage_meta where key = 'deployment_id'", projectId);
        var day = DateOnly.FromDateTime(DateTime.UtcNow);
        var member = $"{projectId}|{workspaceId}|{UsageKeys.Format(day)}";
        string neverCommitted = Guid.NewGuid().ToString("N"), committed = Guid.NewGuid().ToString("N");
        await _usage.ScalarAsync<int>($"insert into latchkey.usage_flushes (id, outcome) values ('{committed}', 'applied') returning 1", projectId);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(_platform.RedisUrl);
        var db = redis.GetDatabase();
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds();
        await db.HashSetAsync(UsageKeys.InFlight(projectId, day, neverCommitted), "tokens:client_credentials", 2);
        await db.HashSetAsync(UsageKeys.InFlight(projectId, day, committed), "tokens:client_credentials", 4);
        await db.SortedSetAddAsync(UsageKeys.InFlightIndex(scope), [new($"{member}#{neverCommitted}", longAgo), new($"{member}#{committed}", longAgo)]);

        await _usage.WaitUntilFlushedAsync(project, 5);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(5, await _usage.FlushedTokensAsync(project));
        Assert.False(await db.KeyExistsAsync(UsageKeys.InFlight(projectId, day, neverCommitted)));
        Assert.False(await db.KeyExistsAsync(UsageKeys.InFlight(projectId, day, committed)));
        Assert.Null(await db.SortedSetScoreAsync(UsageKeys.InFlightIndex(scope), $"{member}#{committed}"));
    }

    [Fact]
    public async Task Usage_AdminCalls_CountedWhenAuthorized()
    {
        var project = await Api.CreateProjectAsync("admin-calls");
        await Api.CreateClientAsync(project);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, Api.At(project, "/admin/clients"), project.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, Api.At(project, "/admin/clients"), "lk_pat_wrong")).Status);

        await UsageProbe.WaitForAsync(async () => await _usage.FlushedAsync(project, "admin_calls") == 4);
        var today = await _usage.TodayAsync(project);
        Assert.Equal(4, today["admin_calls"]!.GetValue<long>());
        Assert.Equal(0, today["tokens_total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Token_OverMonthlyQuota_Is429WithRateLimitHeaders()
    {
        var project = await Api.CreateProjectAsync("quota");
        var client = await Api.CreateClientAsync(project);
        for (var i = 1; i <= UsagePlatformFixture.MonthlyQuota; i++)
        {
            using var ok = await _usage.RequestTokenAsync(project, client);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal($"{UsagePlatformFixture.MonthlyQuota}", Header(ok, "X-RateLimit-Limit"));
            Assert.Equal($"{UsagePlatformFixture.MonthlyQuota - i}", Header(ok, "X-RateLimit-Remaining"));
        }

        using var limited = await _usage.RequestTokenAsync(project, client);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var body = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!;
        Assert.Equal("temporarily_unavailable", body["error"]!.GetValue<string>());
        Assert.Equal(Latchkey.OAuth2.Usage.UsageErrors.QuotaExceeded(new(0, 0, default)).Id, Api.ErrorIdOf(limited));
        Assert.Equal($"{UsagePlatformFixture.MonthlyQuota}", Header(limited, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(limited, "X-RateLimit-Remaining"));
        var now = DateTimeOffset.UtcNow;
        var nextMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        Assert.Equal(nextMonth.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Header(limited, "X-RateLimit-Reset"));
        Assert.InRange(long.Parse(Header(limited, "Retry-After")!, CultureInfo.InvariantCulture), 1, (long)(nextMonth - now).TotalSeconds + 1);

        // A refused request is not a token: the count stays at the quota.
        await _usage.WaitUntilFlushedAsync(project, UsagePlatformFixture.MonthlyQuota);
        Assert.Equal(UsagePlatformFixture.MonthlyQuota, (await _usage.GetAsync(project))["plan"]!["monthly_token_quota"]!.GetValue<long>());

        // Another project of the workspace has its own quota.
        var other = await Api.CreateProjectAsync("quota-other");
        using var fresh = await _usage.RequestTokenAsync(other, await Api.CreateClientAsync(other));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Tokens_FromTwoOAuth2ReplicasAtOnce_StopExactlyAtTheMonthlyQuota()
    {
        var replica = await _platform.StartOAuth2ReplicaAsync();
        using var viaReplica = _platform.CreateClient(port: replica);
        var project = await Api.CreateProjectAsync("quota-replicas");
        var client = await Api.CreateClientAsync(project);

        // Three times the quota at once, half straight to the second replica: each replica alone would allow the whole quota.
        var answers = await Task.WhenAll(Enumerable.Range(0, 3 * UsagePlatformFixture.MonthlyQuota)
            .Select(i => _usage.RequestTokenAsync(project, client, via: i % 2 == 0 ? null : viaReplica)));
        try
        {
            Assert.Equal(UsagePlatformFixture.MonthlyQuota, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
            Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        }
        finally
        {
            foreach (var answer in answers) answer.Dispose();
        }

        // Still exact once the leases have gone back; refused requests are not tokens.
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var after = await _usage.RequestTokenAsync(project, client, via: viaReplica);
        Assert.Equal(HttpStatusCode.TooManyRequests, after.StatusCode);
        await _usage.WaitUntilFlushedAsync(project, UsagePlatformFixture.MonthlyQuota);
    }

    [Fact]
    public async Task Token_RefusedRequests_GiveTheirQuotaTokenBack()
    {
        var project = await Api.CreateProjectAsync("quota-refused");
        var client = await Api.CreateClientAsync(project);
        for (var i = 0; i < 2 * UsagePlatformFixture.MonthlyQuota; i++)
            Assert.Equal(HttpStatusCode.BadRequest, (await _usage.RequestTokenAsync(project, client, scope: "admin")).StatusCode);

        for (var i = 0; i < UsagePlatformFixture.MonthlyQuota; i++)
        {
            using var ok = await _usage.RequestTokenAsync(project, client);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var limited = await _usage.RequestTokenAsync(project, client);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }

    [Fact]
    public async Task Usage_DefaultPeriod_IsLast30DaysWithEveryDayListed()
    {
        var project = await Api.CreateProjectAsync("period");

        var usage = await _usage.GetAsync(project);

        Assert.Equal(project.Id, usage["project_id"]!.GetValue<string>());
        Assert.Equal(UsageProbe.Today, usage["to"]!.GetValue<string>());
        Assert.Equal(DateTime.UtcNow.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), usage["from"]!.GetValue<string>());
        var days = usage["days"]!.AsArray();
        Assert.Equal(30, days.Count);
        Assert.All(days, d => Assert.Equal(0, d!["tokens_total"]!.GetValue<long>()));

        var (status, range) = await Api.SendAsync(HttpMethod.Get, _platform.Api($"/projects/{project.Id}/usage?from=2024-02-27&to=2024-03-01"), _platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"], range!["days"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("from=2024-13-01")]
    [InlineData("to=yesterday")]
    [InlineData("from=2024-03-02&to=2024-03-01")]
    [InlineData("from=2020-01-01&to=2024-01-01")]
    public async Task Usage_BadPeriod_Is400InOryEnvelope(string query)
    {
        var project = await Api.CreateProjectAsync("bad-period");

        var (status, body) = await Api.SendAsync(HttpMethod.Get, _platform.Api($"/projects/{project.Id}/usage?{query}"), _platform.WorkspaceKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Usage_UnknownOrDeletedProjectOrNoKey_IsRefused()
    {
        var project = await Api.CreateProjectAsync("gone");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SendAsync(HttpMethod.Get, _platform.Api($"/projects/{project.Id}/usage"), project.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, _platform.Api($"/projects/{project.Id}"), _platform.WorkspaceKey)).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, _platform.Api($"/projects/{project.Id}/usage"), _platform.WorkspaceKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, _platform.Api($"/projects/{Guid.NewGuid()}/usage"), _platform.WorkspaceKey)).Status);
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

/// <summary>Token requests, the usage API and a look at what was flushed to PostgreSQL, for one platform.</summary>
public sealed class UsageProbe(PlatformFixture platform)
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public Api Api { get; } = new(platform);

    public static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A client-credentials token request, authenticated with <c>client_secret_basic</c> (Hydra's default method).</summary>
    public Task<HttpResponseMessage> RequestTokenAsync(TestProject project, TestClient client, string scope = "read", HttpClient? via = null)
    {
        var request = Api.Request(HttpMethod.Post, Api.At(project, "/oauth2/token"), null, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
        }));
        var credentials = Uri.EscapeDataString(client.Id) + ":" + Uri.EscapeDataString(client.Secret);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return (via ?? Api.Http).SendAsync(request);
    }

    public async Task<JsonNode> GetAsync(TestProject project)
    {
        var (status, body) = await Api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/usage"), platform.WorkspaceKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    public async Task<JsonNode> TodayAsync(TestProject project) =>
        (await GetAsync(project))["days"]!.AsArray().Single(d => d!["date"]!.GetValue<string>() == Today)!;

    /// <summary>Until PostgreSQL (not only Redis) holds the count, and the API reports exactly it.</summary>
    public async Task WaitUntilFlushedAsync(TestProject project, long tokens)
    {
        await WaitForAsync(async () => await FlushedTokensAsync(project) == tokens);
        Assert.Equal(tokens, (await GetAsync(project))["totals"]!["tokens_total"]!.GetValue<long>());
    }

    public Task<long> FlushedTokensAsync(TestProject project) => FlushedAsync(project, "tokens:%");

    public Task<long> FlushedAsync(TestProject project, string metric) =>
        ScalarAsync<long>($"select coalesce(sum(value), 0)::bigint from latchkey.usage_days where project_id = @project and metric like '{metric}'", Guid.Parse(project.Id));

    public async Task<T> ScalarAsync<T>(string sql, Guid projectId)
    {
        await using var connection = new NpgsqlConnection(platform.DatabaseUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("project", projectId);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "The usage was not flushed in time.");
            await Task.Delay(200);
        }
    }
}
