using System.Collections.Concurrent;
using System.Net;
using Duende.IdentityModel.Client;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A token answered 200 is in PostgreSQL: the token writes of concurrent requests are grouped into shared INSERTs
/// (TokenWriter), and a response is released only after its INSERT committed. Under client_credentials load, the
/// database connection is cut and restored, or the oauth2 service is stopped without grace and started again; every
/// token that was answered 200 must still introspect active afterwards, whatever happened to the requests in flight.
/// </summary>
public sealed class DurabilityTests(OutageFixture outage) : IClassFixture<OutageFixture>
{
    const int Workers = 8;
    readonly Api _api = new(outage.Platform);

    [Fact]
    public async Task DatabaseCutMidLoad_EveryTokenAnswered200_StillIntrospectsActive()
    {
        var (project, client) = await SetUpAsync("durable-db");

        var issued = await LoadAsync(project, client, async load =>
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

        await AssertAllActiveAsync(project, issued);
    }

    [Fact]
    public async Task OAuth2StoppedWithoutGraceMidLoad_EveryTokenAnswered200_StillIntrospectsActive()
    {
        var (project, client) = await SetUpAsync("durable-stop");

        var issued = await LoadAsync(project, client, async load =>
        {
            await load.Succeeded(50);
            await outage.Platform.RestartOAuth2Async(abort: true);
            await load.Succeeded(load.SuccessCount + 50);
        });

        await AssertAllActiveAsync(project, issued);
    }

    async Task<(TestProject, TestClient)> SetUpAsync(string name)
    {
        var project = await _api.CreateProjectAsync(name);
        return (project, await _api.CreateClientAsync(project));
    }

    /// <summary>
    /// Runs <see cref="Workers"/> loops of client_credentials requests until <paramref name="script"/> is done, and
    /// returns every access token that was answered 200. Failed requests (503s, dropped connections) are expected.
    /// </summary>
    async Task<IReadOnlyCollection<string>> LoadAsync(TestProject project, TestClient client, Func<Load, Task> script)
    {
        var load = new Load();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            using var http = outage.Platform.CreateClient();
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

    async Task AssertAllActiveAsync(TestProject project, IReadOnlyCollection<string> tokens)
    {
        var inactive = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (token, _) =>
        {
            if ((await _api.IntrospectAsync(project, token))["active"]?.GetValue<bool>() != true) inactive.Add(token);
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

        public Task Failed(int count) => Until(() => Volatile.Read(ref _failures) >= count);

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
