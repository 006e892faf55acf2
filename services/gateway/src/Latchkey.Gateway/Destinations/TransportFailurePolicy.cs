using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Latchkey.Gateway.Destinations;

/// <summary>
/// Passive health: a destination that fails a request at the transport (refused or broken connection, no
/// answer in time) is taken out at once for <see cref="ServiceClusters.ReactivationPeriod"/>, then tried again;
/// the active checks bring it back sooner when it answers <c>/health/ready</c>. YARP's own failure-rate policy
/// waits for ten requests in a minute, so a stopped replica would keep getting a share of a quiet cluster's traffic.
/// Failures the client caused (it went away, sent a broken body) say nothing about the destination.
/// </summary>
public sealed class TransportFailurePolicy(IDestinationHealthUpdater health) : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "LatchkeyTransportFailure";

    string IPassiveHealthCheckPolicy.Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (context.Features.Get<IForwarderErrorFeature>()?.Error is ForwarderError.Request or ForwarderError.RequestTimedOut)
            health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? ServiceClusters.ReactivationPeriod);
    }

    /// <summary>
    /// In the proxy pipeline, before load balancing: a request whose destination refused the connection was not
    /// sent, so it goes to the next destination not yet tried (the refusing one is already out, by the policy
    /// above). Any other failure is answered as it is: the request may have reached the service.
    /// </summary>
    public static async Task RetryRefusedConnections(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        // Load balancing narrows the list to the one destination it picks: keep the healthy ones it picked from.
        var candidates = proxy.AvailableDestinations;
        await next();
        List<DestinationState>? tried = null;
        while (!context.Response.HasStarted && Refused(context) && proxy.ProxiedDestination is { } failed)
        {
            (tried ??= []).Add(failed);
            var untried = candidates.Where(d => !tried.Contains(d)).ToList();
            if (untried.Count == 0) return;
            proxy.AvailableDestinations = untried;
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            await next();
        }
    }

    static bool Refused(HttpContext context)
    {
        for (var e = context.Features.Get<IForwarderErrorFeature>()?.Exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
        }
        return false;
    }
}
