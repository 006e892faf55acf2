using System.Threading.Channels;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Keys;
using Latchkey.OAuth2.Outbound;
using Latchkey.OAuth2.Storage;
using Latchkey.Tenancy;
using Marten;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0 and Front-Channel Logout 1.0, as Hydra does them: when login sessions
/// end — RP-initiated logout (<see cref="LogoutHandler"/>) or <c>DELETE /admin/oauth2/auth/sessions/login</c>
/// (<see cref="SessionEndpoints"/>) — every client that got a consent in one of them hears of it. A client with a
/// <c>backchannel_logout_uri</c> gets a <c>logout_token</c> POSTed by <see cref="BackChannelLogoutSender"/>, in the
/// background; a client with a <c>frontchannel_logout_uri</c> is framed by the logout page (<see cref="FrontChannelLogoutPage"/>).
/// A failure here never fails the logout: the session is already ended.
/// </summary>
public sealed class LogoutNotifier(
    UnitOfWork work,
    ClientStore clients,
    ProjectKeyRing keys,
    OutboundHttp outbound,
    BackChannelLogoutQueue queue,
    IProjectContext project,
    TimeProvider clock,
    ILogger<LogoutNotifier> logger)
{
    public const string BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>The logout token's lifetime: the RP checks it on arrival, a retry comes within seconds.</summary>
    static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(2);

    /// <summary>A session's clients are read at most this many at once; a session of more is not a browser's.</summary>
    const int MaxClients = 100;

    /// <summary>
    /// The ended sessions' clients: queues each back-channel delivery and answers the front-channel URLs to frame,
    /// with <c>iss</c> and <c>sid</c> for clients that require them. Never throws but for cancellation.
    /// </summary>
    public async Task<IReadOnlyList<string>> SessionsEndedAsync(string subject, IReadOnlyCollection<string> sids, CancellationToken ct)
    {
        if (sids.Count == 0) return [];
        try
        {
            var touched = await TouchedAsync(subject, sids, ct);
            var frontChannel = new List<string>();
            SigningCredentials? signing = null;
            foreach (var (client, sid) in touched)
            {
                if (client.BackchannelLogoutUri.Length > 0 && Uri.TryCreate(client.BackchannelLogoutUri, UriKind.Absolute, out var target))
                {
                    signing ??= await IdTokenSigningAsync(ct);
                    queue.Enqueue(new BackChannelDelivery(project.Project.Id, client.Id, target, LogoutToken(signing, client, subject, sid), outbound.For(project)));
                }
                if (client.FrontchannelLogoutUri.Length > 0)
                    frontChannel.Add(FrontChannelUrl(client, sid));
            }
            return frontChannel;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Notifying the clients of {Count} ended login session(s) of project {ProjectId} failed.", sids.Count, project.Project.Id);
            return [];
        }
    }

    /// <summary>Each client with a completed login/consent flow in one of the sessions, once per session.</summary>
    async Task<List<(StoredClient Client, string Sid)>> TouchedAsync(string subject, IReadOnlyCollection<string> sids, CancellationToken ct)
    {
        var ids = sids.ToArray();
        var pairs = await work.Session.Query<LoginConsentFlow>()
            .Where(f => f.Subject == subject && f.State == FlowState.Completed && f.LoginSessionId.IsOneOf(ids))
            .Select(f => new { f.ClientId, f.LoginSessionId })
            .Distinct()
            .Take(MaxClients)
            .ToListAsync(ct);
        var touched = new List<(StoredClient, string)>();
        foreach (var pair in pairs)
        {
            if (await clients.FindAsync(pair.ClientId, ct) is { } client && (client.BackchannelLogoutUri.Length > 0 || client.FrontchannelLogoutUri.Length > 0))
                touched.Add((client, pair.LoginSessionId));
        }
        return touched;
    }

    /// <summary>The project's ID-token key signs logout tokens, so an RP verifies them as it verifies ID tokens.</summary>
    async Task<SigningCredentials> IdTokenSigningAsync(CancellationToken ct)
    {
        var key = (await keys.GetSigningKeysAsync(project.Project, ct))[KeySets.IdToken][0];
        return new SigningCredentials(keys.ToSigningKey(key), key.Alg);
    }

    /// <summary>Back-Channel Logout 1.0 §2.4: iss, aud, iat, exp, jti, events, sub and sid; typ <c>logout+jwt</c>; never a nonce.</summary>
    string LogoutToken(SigningCredentials signing, StoredClient client, string subject, string sid)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "logout+jwt",
            Issuer = project.Issuer,
            Audience = client.Id,
            IssuedAt = now,
            Expires = now + TokenLifetime,
            SigningCredentials = signing,
            Claims = new Dictionary<string, object>
            {
                ["jti"] = Guid.NewGuid().ToString(),
                ["sub"] = subject,
                // Hydra always sends the sid; the spec requires it when the client asks (backchannel_logout_session_required).
                ["sid"] = sid,
                ["events"] = new Dictionary<string, object> { [BackChannelLogoutEvent] = new Dictionary<string, object>() },
            },
        });
    }

    /// <summary>Front-Channel Logout 1.0 §2–3: <c>iss</c> and <c>sid</c> are added when the client requires them.</summary>
    string FrontChannelUrl(StoredClient client, string sid)
    {
        var uri = client.FrontchannelLogoutUri;
        if (!client.FrontchannelLogoutSessionRequired) return uri;
        return $"{uri}{(uri.Contains('?', StringComparison.Ordinal) ? '&' : '?')}iss={Uri.EscapeDataString(project.Issuer)}&sid={Uri.EscapeDataString(sid)}";
    }

    public static void Register(IServiceCollection services)
    {
        services.AddScoped<LogoutNotifier>();
        services.AddSingleton<BackChannelLogoutQueue>();
        services.AddHostedService<BackChannelLogoutSender>();
    }
}

/// <summary>One logout token on its way to one client; the HttpClient is the project's (<see cref="OutboundHttp.For"/>).</summary>
public sealed record BackChannelDelivery(Guid ProjectId, string ClientId, Uri Target, string LogoutToken, HttpClient Http);

/// <summary>
/// Deliveries waiting for <see cref="BackChannelLogoutSender"/>, in memory: what is queued or in flight when the
/// process dies is not delivered (as in Hydra, which sends from goroutines). Bounded, so a flood of logouts
/// towards dead endpoints cannot grow it without limit: beyond <see cref="Capacity"/> a delivery is dropped and logged.
/// </summary>
public sealed class BackChannelLogoutQueue(ILogger<BackChannelLogoutQueue> logger)
{
    public const int Capacity = 10_000;

    readonly Channel<BackChannelDelivery> _channel = Channel.CreateBounded<BackChannelDelivery>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<BackChannelDelivery> Reader => _channel.Reader;

    public void Enqueue(BackChannelDelivery delivery)
    {
        if (!_channel.Writer.TryWrite(delivery))
            logger.LogWarning("The back-channel logout queue is full; the logout token for client {ClientId} of project {ProjectId} is dropped.", delivery.ClientId, delivery.ProjectId);
    }
}

/// <summary>
/// POSTs each queued logout token as <c>logout_token=</c> (Back-Channel Logout 1.0 §2.5): 200 or 204 is delivered;
/// a network error, a timeout (<see cref="OutboundHttp.Timeout"/>), 429 or 5xx is tried again after 1 s and 5 s;
/// any other answer is the RP refusing the token and is not retried. A few deliveries run at once, so one slow
/// endpoint does not hold back the others.
/// </summary>
public sealed class BackChannelLogoutSender(BackChannelLogoutQueue queue, TimeProvider clock, ILogger<BackChannelLogoutSender> logger) : BackgroundService
{
    static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

    const int Parallel = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Parallel);
        try
        {
            await foreach (var delivery in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                _ = Task.Run(async () =>
                {
                    try { await DeliverAsync(delivery, stoppingToken); }
                    finally { slots.Release(); }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task DeliverAsync(BackChannelDelivery delivery, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            string outcome;
            try
            {
                using var content = new FormUrlEncodedContent([new("logout_token", delivery.LogoutToken)]);
                using var response = await delivery.Http.PostAsync(delivery.Target, content, ct);
                var status = (int)response.StatusCode;
                if (status is 200 or 204) return;
                if (status != 429 && status < 500)
                {
                    logger.LogWarning("Client {ClientId} of project {ProjectId} refused its back-channel logout token: {Status}.", delivery.ClientId, delivery.ProjectId, status);
                    return;
                }
                outcome = $"HTTP {status}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                outcome = ex.Message;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (attempt >= Backoff.Length)
            {
                logger.LogWarning("Back-channel logout to client {ClientId} of project {ProjectId} failed after {Attempts} attempts: {Outcome}.",
                    delivery.ClientId, delivery.ProjectId, attempt + 1, outcome);
                return;
            }
            try
            {
                await Task.Delay(Backoff[attempt], clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
