using System.Text.Json.Serialization;

namespace Latchkey.ControlPlane.Ops;

/// <summary>
/// <c>GET /projects/{id}/ops</c>: per endpoint (<c>token</c>, <c>introspection</c>, <c>authorization</c>), every
/// UTC minute of the window (zeros included) and the window's totals. <c>errors</c> are answers of status 500
/// and up, <c>client_errors</c> 4xx; <c>error_rate</c> is <c>errors / requests</c>. <c>available</c> is false
/// while Redis, which holds these best-effort metrics, is unreachable.
/// </summary>
internal sealed record OpsJson(
    Guid ProjectId,
    DateTimeOffset From,
    DateTimeOffset To,
    bool Available,
    IReadOnlyDictionary<string, OpsEndpointJson> Endpoints);

internal sealed record OpsEndpointJson(IReadOnlyList<OpsMinuteJson> Series, OpsTotalsJson Totals);

/// <summary>One minute; <c>rps</c> is its requests over 60 s, <c>p99_ms</c> null when it had no requests.</summary>
internal sealed record OpsMinuteJson(
    DateTimeOffset Minute,
    long Requests,
    long Errors,
    long ClientErrors,
    double Rps,
    double ErrorRate,
    [property: JsonPropertyName("p99_ms")] int? P99Ms);

internal sealed record OpsTotalsJson(
    long Requests,
    long Errors,
    long ClientErrors,
    double Rps,
    double ErrorRate,
    [property: JsonPropertyName("p99_ms")] int? P99Ms);
