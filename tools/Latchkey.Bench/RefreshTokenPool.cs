using System.Diagnostics;

namespace Latchkey.Bench;

/// <summary>
/// The refresh tokens the refresh_token scenario spends, in the files <c>scripts/bench/refresh.lua</c> reads and
/// writes. Every refresh rotates its token, so each is sent once; the ones in flight when wrk stops are lost, and
/// the pool is topped up with fresh tokens from <paramref name="mint"/> before each run.
/// </summary>
sealed class RefreshTokenPool(Func<int, CancellationToken, Task<string>> mint, int size, int jobs, string directory)
{
    int _minted;

    /// <summary>The pool wrk is started with, one token per line.</summary>
    public string PoolFile { get; } = Path.Combine(directory, "refresh-pool");

    /// <summary>Where refresh.lua writes the tokens it did not spend.</summary>
    public string UnspentFile { get; } = Path.Combine(directory, "refresh-unspent");

    public int Size => size;

    /// <summary>Forgets every token: the next <see cref="FillAsync"/> mints a whole pool.</summary>
    public void Clear()
    {
        File.WriteAllText(PoolFile, "");
        File.Delete(UnspentFile);
    }

    /// <summary>After a wrk run: what it left unspent is the pool (nothing, if it left no file).</summary>
    public void KeepUnspent()
    {
        if (File.Exists(UnspentFile))
            File.Move(UnspentFile, PoolFile, overwrite: true);
        else
            File.WriteAllText(PoolFile, "");
    }

    /// <summary>Mints tokens until the pool holds <see cref="Size"/>, <c>BENCH_MINT_JOBS</c> flows at a time.</summary>
    public async Task FillAsync(CancellationToken ct)
    {
        var missing = size - File.ReadLines(PoolFile).Count(line => line.Trim().Length > 0);
        if (missing <= 0)
            return;
        var clock = Stopwatch.StartNew();
        var first = _minted + 1;
        _minted += missing;
        var tokens = new string[missing];
        await Parallel.ForEachAsync(Enumerable.Range(0, missing), new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct },
            async (i, token) => tokens[i] = await mint(first + i, token));
        await File.AppendAllLinesAsync(PoolFile, tokens, ct);
        Log.Info($"minted {missing} refresh tokens in {clock.Elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>What refresh.lua reads from its environment.</summary>
    public IReadOnlyDictionary<string, string> Environment(int threads, string authorization) => new Dictionary<string, string>
    {
        ["BENCH_REFRESH_IN"] = PoolFile,
        ["BENCH_REFRESH_OUT"] = UnspentFile,
        ["BENCH_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["BENCH_AUTH"] = authorization,
    };
}
