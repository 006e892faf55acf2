using Latchkey.ControlPlane.Auth;
using Latchkey.ControlPlane.Http;
using Latchkey.ControlPlane.Projects;
using Latchkey.Storage;
using Latchkey.Storage.Ops;
using StackExchange.Redis;

namespace Latchkey.ControlPlane.Ops;

/// <summary>
/// <c>GET /projects/{id}/ops?minutes=60</c>: request rate, error rate and p99 latency of a project's token,
/// introspection and authorization endpoints over the last minutes, read from the oauth2 service's per-minute
/// Redis hashes (<see cref="OpsKeys"/>). p99 is the upper bound of the latency bucket in which 99% is reached.
/// </summary>
internal static class OpsEndpoints
{
    public const int DefaultMinutes = 60;
    public const int MaxMinutes = 120;

    public static RouteGroupBuilder MapProjectOps(this RouteGroupBuilder projects)
    {
        projects.MapGet("/{id}/ops", Get);
        return projects;
    }

    static async Task<IResult> Get(string id, string? minutes, HttpContext http, ProjectStore projects, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var projectId) || await projects.FindAsync(WorkspaceCaller.Of(http).WorkspaceId, projectId, ct) is null)
            return ControlPlaneErrors.ProjectNotFound.ToResult();

        var count = DefaultMinutes;
        if (!string.IsNullOrEmpty(minutes) && (!int.TryParse(minutes, out count) || count < 1 || count > MaxMinutes))
            return ControlPlaneErrors.Invalid($"'minutes' must be a whole number from 1 to {MaxMinutes}.").ToResult();

        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var last = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var window = Enumerable.Range(0, count).Select(i => last.AddMinutes(i - count + 1)).ToList();

        var db = services.GetRequiredService<RedisConnection>().Database;
        var hashes = window.Select(_ => new Dictionary<string, long>()).ToList();
        var available = db is not null;
        if (db is not null)
        {
            try
            {
                var batch = db.CreateBatch();
                var reads = window.Select(m => batch.HashGetAllAsync(OpsKeys.Minute(projectId, m))).ToList();
                batch.Execute();
                var entries = await Task.WhenAll(reads);
                for (var i = 0; i < entries.Length; i++)
                    foreach (var entry in entries[i])
                        if (entry.Value.TryParse(out long value)) hashes[i][entry.Name.ToString()] = value;
            }
            catch (RedisException)
            {
                available = false;
            }
        }

        var endpoints = OpsKeys.Endpoints.ToDictionary(e => e, e => Endpoint(e, window, hashes));
        return TypedResults.Ok(new OpsJson(projectId, window[0], last.AddMinutes(1), available, endpoints));
    }

    static OpsEndpointJson Endpoint(string endpoint, List<DateTimeOffset> window, List<Dictionary<string, long>> hashes)
    {
        var series = new List<OpsMinuteJson>(window.Count);
        var total = new long[OpsKeys.BucketBoundsMs.Count + 1];
        for (var i = 0; i < window.Count; i++)
        {
            var hash = hashes[i];
            var requests = hash.GetValueOrDefault(endpoint + ":requests");
            var errors = hash.GetValueOrDefault(endpoint + ":errors");
            var buckets = Buckets(endpoint, hash);
            for (var b = 0; b < buckets.Length; b++) total[b] += buckets[b];
            series.Add(new OpsMinuteJson(window[i], requests, errors, hash.GetValueOrDefault(endpoint + ":client_errors"),
                Math.Round(requests / 60.0, 3), Rate(errors, requests), P99(buckets)));
        }

        var totalRequests = series.Sum(m => m.Requests);
        var totalErrors = series.Sum(m => m.Errors);
        return new OpsEndpointJson(series, new OpsTotalsJson(totalRequests, totalErrors, series.Sum(m => m.ClientErrors),
            Math.Round(totalRequests / (window.Count * 60.0), 3), Rate(totalErrors, totalRequests), P99(total)));
    }

    static long[] Buckets(string endpoint, Dictionary<string, long> hash)
    {
        var bounds = OpsKeys.BucketBoundsMs;
        var buckets = new long[bounds.Count + 1];
        for (var b = 0; b < bounds.Count; b++) buckets[b] = hash.GetValueOrDefault($"{endpoint}:le:{bounds[b]}");
        buckets[^1] = hash.GetValueOrDefault($"{endpoint}:le:{OpsKeys.Overflow}");
        return buckets;
    }

    /// <summary>The upper bound of the bucket in which 99% of the samples is reached (beyond the last bound: the last bound); null without samples.</summary>
    internal static int? P99(long[] buckets)
    {
        var samples = buckets.Sum();
        if (samples == 0) return null;
        var needed = (long)Math.Ceiling(samples * 0.99);
        long seen = 0;
        var bounds = OpsKeys.BucketBoundsMs;
        for (var b = 0; b < bounds.Count; b++)
        {
            seen += buckets[b];
            if (seen >= needed) return bounds[b];
        }
        return bounds[^1];
    }

    static double Rate(long errors, long requests) => requests == 0 ? 0 : Math.Round((double)errors / requests, 4);
}
