namespace Latchkey.Bench;

/// <summary>The two peer processes a run needs: opaque access tokens, and RS256 JWT access tokens.</summary>
sealed class PeerServers(PeerServer opaque, PeerServer jwt) : IAsyncDisposable
{
    public PeerServer Opaque => opaque;

    public PeerServer Jwt => jwt;

    public static async Task<PeerServers> StartAsync(string directory, string logDirectory, HttpClient http, CancellationToken ct)
    {
        Log.Info($"starting node-oidc-provider from {directory} (opaque and jwt)");
        var opaque = await PeerServer.StartAsync(directory, "opaque", Path.Combine(logDirectory, "peer-opaque.log"), http, ct);
        try
        {
            return new(opaque, await PeerServer.StartAsync(directory, "jwt", Path.Combine(logDirectory, "peer-jwt.log"), http, ct));
        }
        catch
        {
            await opaque.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await opaque.DisposeAsync();
        await jwt.DisposeAsync();
    }
}
