using System.Collections.Concurrent;
using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A token answered 200 is in PostgreSQL: the token writes of concurrent requests are grouped into shared INSERTs
/// (TokenWriter), and a response is released only after its INSERT committed. Under client_credentials load, the
/// database connection is cut and restored, the oauth2 service is stopped without grace (in-process) or killed with
/// SIGKILL (a process of its own) and started again, or PostgreSQL itself is restarted as after a crash; every token
/// that was answered 200 must still introspect active afterwards, whatever happened to the requests in flight.
/// </summary>
public sealed class DurabilityTests(OutageFixture outage, PostgresRestartFixture restartable)
    : IClassFixture<OutageFixture>, IClassFixture<PostgresRestartFixture>
{
    const int Workers = 8;
    readonly Api _api = new(outage.Platform);

    [Fact]
    public async Task DatabaseCutMidLoad_EveryTokenAnswered200_StillIntrospectsActive()
    {
        var (project, client) = await SetUpAsync(_api, "durable-db");

        var issued = await LoadAsync(outage.Platform, project, client, async load =>
        {
            await load.Succeeded(50);
            outage.Database.Cut();
            try
            {
                await load.Failed(Workers);
            }
            finally
            {
                outage.Database.Restore();
            }
            await load.Succeeded(load.SuccessCount + 50);
        });

        await AssertAllActiveAsync(_api, project, issued);
    }

    [Fact]
    public async Task OAuth2StoppedWithoutGraceMidLoad_EveryTokenAnswered200_StillIntrospectsActive()
    {
        var (project, client) = await SetUpAsync(_api, "durable-stop");

        var issued = await LoadAsync(outage.Platform, project, client, async load =>
        {
            await load.Succeeded(50);
            await outage.Platform.RestartOAuth2Async(abort: true);
            await load.Succeeded(load.SuccessCount + 50);
        });

        await AssertAllActiveAsync(_api, project, issued);
    }

    [Fact]
    public async Task OAuth2KilledMidLoad_EveryTokenAnswered200_StillIntrospectsActive()
    {
        var (project, client) = await SetUpAsync(_api, "durable-kill");
        var port = PlatformFixture.FreePort();
        await using var oauth2 = new ServiceProcess(MigratedPlatformFixture.OAuth2, port, outage.Platform.OAuth2ReplicaArgs(port));
        await oauth2.StartAsync();

        var issued = await LoadAsync(outage.Platform, project, client, async load =>
        {
            await load.Succeeded(50);
            await oauth2.KillAsync();
            await load.Failed(load.FailureCount + Workers);
            await oauth2.StartAsync();
            await load.Succeeded(load.SuccessCount + 50);
        }, port);

        await AssertAllActiveAsync(_api, project, issued);
    }

    [Fact]
    public async Task PostgresRestartedMidLoad_EveryTokenAnswered200_StillIntrospectsActive()
    {
        var api = new Api(restartable.Platform);
        var (project, client) = await SetUpAsync(api, "durable-pg");

        var issued = await LoadAsync(restartable.Platform, project, client, async load =>
        {
            await load.Succeeded(50);
            var failedBefore = load.FailureCount;
            await restartable.Postgres.RestartAsync();
            await load.Succeeded(load.SuccessCount + 50);
            Assert.True(load.FailureCount > failedBefore, "no request failed while PostgreSQL restarted");
        });

        await AssertAllActiveAsync(api, project, issued);
    }

    static async Task<(TestProject, TestClient)> SetUpAsync(Api api, string name)
    {
        var project = await api.CreateProjectAsync(name);
        return (project, await api.CreateClientAsync(project));
    }

    /// <summary>
    /// Runs <see cref="Workers"/> loops of client_credentials requests until <paramref name="script"/> is done, and
    /// returns every access token that was answered 200. Failed requests (503s, dropped connections) are expected.
    /// Through the platform's gateway, or straight to the oauth2 process on <paramref name="port"/>.
    /// </summary>
    static async Task<IReadOnlyCollection<string>> LoadAsync(PlatformFixture platform, TestProject project, TestClient client, Func<Load, Task> script, int? port = null)
    {
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            using var http = platform.CreateClient(port: port);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
                    {
                        Address = project.Issuer + "/oauth2/token",
                        ClientId = client.Id,
                        ClientSecret = client.Secret,
                    });
                    if (response.HttpStatusCode == HttpStatusCode.OK && response.AccessToken is { } token) load.Add(token);
                    else load.Fail();
                }
                catch (HttpRequestException)
                {
                    load.Fail();
                }
            }
        })).ToList();
        try
        {
            await script(load).WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }
        return load.Tokens;
    }

    static async Task AssertAllActiveAsync(Api api, TestProject project, IReadOnlyCollection<string> tokens)
    {
        var inactive = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (token, _) =>
        {
            if ((await api.IntrospectAsync(project, token))["active"]?.GetValue<bool>() != true) inactive.Add(token);
        });
        Assert.True(tokens.Count >= 100, $"only {tokens.Count} tokens were issued");
        Assert.True(inactive.IsEmpty, $"{inactive.Count} of {tokens.Count} tokens answered 200 are not active");
    }

    /// <summary>What the load has done so far, and waits for it to have done more (no timing: counts).</summary>
    sealed class Load
    {
        readonly ConcurrentQueue<string> _tokens = new();
        int _failures;
        TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyCollection<string> Tokens => _tokens;

        public int SuccessCount => _tokens.Count;

        public int FailureCount => Volatile.Read(ref _failures);

        public void Add(string token)
        {
            _tokens.Enqueue(token);
            Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public void Fail()
        {
            Interlocked.Increment(ref _failures);
            Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        public Task Succeeded(int count) => Until(() => _tokens.Count >= count);

        public Task Failed(int count) => Until(() => FailureCount >= count);

        async Task Until(Func<bool> done)
        {
            while (true)
            {
                var changed = Volatile.Read(ref _changed).Task;
                if (done()) return;
                await changed;
            }
        }
    }
}
