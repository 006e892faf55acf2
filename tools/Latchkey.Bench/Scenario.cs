namespace Latchkey.Bench;

/// <summary>
/// One row of the result table: a request hammered at a target. Scenarios are data, so a target's list reads as
/// the bench's table of contents and a second target (a peer implementation) brings its own list of the same names.
/// </summary>
sealed record Scenario(string Name, BenchTarget Target, WrkRequest Request)
{
    /// <summary>
    /// Runs once before the warm-up, for a scenario that needs the target changed first; what it returns, if not null,
    /// is the request to send instead of <see cref="Request"/> (one that carries a token minted just now).
    /// </summary>
    public Func<CancellationToken, Task<WrkRequest?>>? Prepare { get; init; }

    /// <summary>
    /// For the refresh_token grant: the single-use tokens <c>scripts/bench/refresh.lua</c> spends instead of a fixed body.
    /// The request's <see cref="WrkRequest.Body"/> is then unused.
    /// </summary>
    public RefreshTokenPool? RefreshTokens { get; init; }

    /// <summary>
    /// For <c>make bench-scale</c>: a file of projects (Host, Authorization, body per line) that
    /// <c>scripts/bench/scale.lua</c> picks from at random for each request; the request's Host and body are then unused.
    /// </summary>
    public string? TargetsFile { get; init; }
}
