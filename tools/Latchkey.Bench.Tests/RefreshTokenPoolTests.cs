using Xunit;

namespace Latchkey.Bench.Tests;

/// <summary>The pool refresh.lua spends: filled to its size, refilled from what a run left unspent.</summary>
public sealed class RefreshTokenPoolTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("latchkey-bench-test.");
    readonly List<int> _minted = [];

    RefreshTokenPool NewPool(int size) => new((n, _) =>
    {
        lock (_minted)
            _minted.Add(n);
        return Task.FromResult($"token-{n}");
    }, size, jobs: 3, _directory.FullName);

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Fill_EmptyPool_MintsItsSizeWithNumberedSubjects()
    {
        var pool = NewPool(5);
        pool.Clear();

        await pool.FillAsync(CancellationToken.None);

        Assert.Equal(["token-1", "token-2", "token-3", "token-4", "token-5"], await File.ReadAllLinesAsync(pool.PoolFile));
    }

    [Fact]
    public async Task KeepUnspent_ThenFill_TopsUpWithFreshTokensOnly()
    {
        var pool = NewPool(4);
        pool.Clear();
        await pool.FillAsync(CancellationToken.None);
        await File.WriteAllLinesAsync(pool.UnspentFile, ["rotated-a", "rotated-b"]);

        pool.KeepUnspent();
        await pool.FillAsync(CancellationToken.None);

        Assert.Equal(["rotated-a", "rotated-b", "token-5", "token-6"], await File.ReadAllLinesAsync(pool.PoolFile));
        Assert.False(File.Exists(pool.UnspentFile));
    }

    [Fact]
    public async Task KeepUnspent_WrkLeftNoFile_StartsOverRatherThanResendingSpentTokens()
    {
        var pool = NewPool(2);
        pool.Clear();
        await pool.FillAsync(CancellationToken.None);

        pool.KeepUnspent();
        await pool.FillAsync(CancellationToken.None);

        Assert.Equal(["token-3", "token-4"], await File.ReadAllLinesAsync(pool.PoolFile));
    }

    [Fact]
    public void Environment_IsWhatRefreshLuaReads()
    {
        var pool = NewPool(2);

        var env = pool.Environment(3, "Basic x");

        Assert.Equal(pool.PoolFile, env["BENCH_REFRESH_IN"]);
        Assert.Equal(pool.UnspentFile, env["BENCH_REFRESH_OUT"]);
        Assert.Equal("3", env["BENCH_THREADS"]);
        Assert.Equal("Basic x", env["BENCH_AUTH"]);
    }
}
