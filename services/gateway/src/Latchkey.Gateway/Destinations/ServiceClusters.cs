using System.Globalization;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace Latchkey.Gateway.Destinations;

/// <summary>
/// The gateway's three clusters, one destination per replica: <c>LATCHKEY_OAUTH2_URL</c>,
/// <c>LATCHKEY_CONTROL_PLANE_URL</c> and <c>LATCHKEY_CONSOLE_URL</c> each take a comma-separated list of base URLs.
/// <list type="bullet">
/// <item>Round robin, not YARP's default power-of-two-choices: the services are stateless and their requests
/// short and alike, so strict alternation spreads them as well, and it makes every browser flow cross replicas
/// (what <c>ReplicaTests</c> relies on to prove that nothing lives in one process).</item>
/// <item>Active health checks: every <c>LATCHKEY_GATEWAY_HEALTH_INTERVAL_SECONDS</c> (5) the gateway asks each
/// destination's <c>/health/ready</c> (<c>MapLatchkeyDefaults</c>: 503 while its database is unreachable);
/// two failures in a row take it out, one success brings it back.</item>
/// <item>Passive health checks (<see cref="TransportFailurePolicy"/>): a destination that refuses a connection
/// is out at once, for <see cref="ReactivationPeriod"/>, and <see cref="RetryRefusedConnections"/> sends the
/// request to another one, so a stopped replica costs no request.</item>
/// </list>
/// While every destination of a cluster is unhealthy the gateway still tries them all (<c>HealthyOrPanic</c>):
/// a health check that is wrong must not take the whole service down.
/// </summary>
public static class ServiceClusters
{
    public static readonly TimeSpan ReactivationPeriod = TimeSpan.FromSeconds(10);

    public static readonly (string Cluster, string Setting, string Default)[] Services =
    [
        ("oauth2", "LATCHKEY_OAUTH2_URL", "http://127.0.0.1:4432"),
        ("control-plane", "LATCHKEY_CONTROL_PLANE_URL", "http://127.0.0.1:4431"),
        ("console", "LATCHKEY_CONSOLE_URL", "http://127.0.0.1:4433"),
    ];

    public static ClusterConfig[] From(IConfiguration config)
    {
        var interval = Seconds(config, "LATCHKEY_GATEWAY_HEALTH_INTERVAL_SECONDS", 5);
        return [.. Services.Select(s => Cluster(s.Cluster, ParseUrls(s.Setting, config[s.Setting], s.Default), interval))];
    }

    /// <summary>
    /// The replicas' base URLs: absolute <c>http</c>/<c>https</c> URLs with no path, query or credentials, each once.
    /// A malformed one stops the start with its setting's name, rather than a gateway answering 502 to everyone.
    /// </summary>
    public static IReadOnlyList<Uri> ParseUrls(string setting, string? value, string fallback)
    {
        var entries = (string.IsNullOrWhiteSpace(value) ? fallback : value)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
            throw new InvalidOperationException($"{setting} names no URL; give one or more comma-separated base URLs, e.g. http://10.0.0.5:8080,http://10.0.0.6:8080.");
        var urls = new List<Uri>();
        foreach (var entry in entries)
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
                throw new InvalidOperationException($"{setting}: '{entry}' is not an absolute http or https URL (e.g. http://10.0.0.5:8080; separate replicas with commas).");
            if (url.AbsolutePath != "/" || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
                throw new InvalidOperationException($"{setting}: '{entry}' must be a base URL (scheme, host and port only): the gateway forwards each request's own path.");
            if (urls.Contains(url))
                throw new InvalidOperationException($"{setting}: '{entry}' is listed twice; each replica once.");
            urls.Add(url);
        }
        return urls;
    }

    /// <summary>
    /// <c>LATCHKEY_GATEWAY_DNS_REFRESH_SECONDS</c> (unset: off): resolve each destination's host name to all its
    /// addresses, one destination each, again every so many seconds. On Kubernetes the services' URLs name headless
    /// Services, so every ready pod is a destination and a new pod gets traffic within one refresh.
    /// </summary>
    public static TimeSpan? DnsRefresh(IConfiguration config)
    {
        var value = config["LATCHKEY_GATEWAY_DNS_REFRESH_SECONDS"];
        if (string.IsNullOrWhiteSpace(value)) return null;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"LATCHKEY_GATEWAY_DNS_REFRESH_SECONDS must be a number of seconds between 1 and 3600, not '{value}'.");
    }

    static ClusterConfig Cluster(string id, IReadOnlyList<Uri> urls, TimeSpan interval) => new()
    {
        ClusterId = id,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        Destinations = urls.Select((url, i) => (Name: $"{id}-{i + 1}", url))
            .ToDictionary(d => d.Name, d => new DestinationConfig { Address = d.url.ToString() }),
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = interval,
                Timeout = TimeSpan.FromSeconds(Math.Min(interval.TotalSeconds, 3)),
                Policy = "ConsecutiveFailures",
                Path = "/health/ready",
            },
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = TransportFailurePolicy.PolicyName,
                ReactivationPeriod = ReactivationPeriod,
            },
            AvailableDestinationsPolicy = "HealthyOrPanic",
        },
        Metadata = new Dictionary<string, string> { [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = "2" },
    };

    static TimeSpan Seconds(IConfiguration config, string setting, double fallback)
    {
        var value = config[setting];
        if (string.IsNullOrWhiteSpace(value)) return TimeSpan.FromSeconds(fallback);
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"{setting} must be a number of seconds between 0 and 3600, not '{value}'.");
    }
}
