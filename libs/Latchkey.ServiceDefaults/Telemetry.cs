using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Latchkey.ServiceDefaults;

/// <summary>The names of our own meters: each is registered by name (there is no wildcard to miss one).</summary>
public static class LatchkeyMeters
{
    /// <summary>oauth2: tokens issued.</summary>
    public const string OAuth2 = "Latchkey.OAuth2";

    /// <summary>Every service: cache lookups and entries (<c>InvalidatingCache</c>).</summary>
    public const string Storage = "Latchkey.Storage";

    public static IReadOnlyList<string> All { get; } = [OAuth2, Storage];
}

/// <summary>
/// Metrics, traces and logs of every service.
/// <list type="bullet">
/// <item><c>GET /metrics</c> (Prometheus text) answers only on <c>LATCHKEY_METRICS_PORT</c>, a second address on
/// the interface the service listens on, chosen by the connection's local port (not by the Host header, which
/// a client writes); on the public port <c>/metrics</c> is an unknown path like any other, so the gateway,
/// which forwards only to public ports, can never reach it.</item>
/// <item>Meters: ASP.NET Core's (<c>http.server.request.duration</c> per <c>http.route</c> and status, Kestrel's
/// connections, unhandled exceptions), outgoing HTTP, ours (<see cref="LatchkeyMeters"/>), Npgsql's pool and
/// the runtime's. The per-application meters listen only to this application's <see cref="IMeterFactory"/>
/// (<see cref="MeterScope.Local"/>), so services hosted in one process (the tests) report only their own requests.</item>
/// <item>Logs: <c>LATCHKEY_LOG_FORMAT=json</c> (the default outside Development) writes one JSON object per line
/// with the scopes, which carry <c>TraceId</c>/<c>SpanId</c> and ASP.NET Core's <c>RequestId</c> on every line a
/// request writes; <c>text</c> is the human console format.</item>
/// </list>
/// </summary>
public static class LatchkeyTelemetry
{
    public const string MetricsPortSetting = "LATCHKEY_METRICS_PORT";
    public const string LogFormatSetting = "LATCHKEY_LOG_FORMAT";
    public const string MetricsPath = "/metrics";

    // Created through the application's IMeterFactory (HostingMetrics, KestrelMetrics, IHttpClientFactory's handlers).
    static readonly string[] ApplicationMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting", "System.Net.Http",
    ];

    // Static meters, one per process: the connection pools report under their own pool name.
    const string NpgsqlMeter = "Npgsql";

    internal static void AddLatchkeyTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        builder.AddLatchkeyLogging();

        // Through IMetricsBuilder, not MeterProviderBuilder.AddMeter: that one listens to every meter of the name in
        // the process; a Local rule only to the meters this application's container created.
        foreach (var meter in ApplicationMeters.Concat(LatchkeyMeters.All))
            builder.Metrics.EnableMetrics(meter, scopes: MeterScope.Local);

        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var metricsPort = MetricsPortOf(builder.Configuration);
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(serviceName));
        // Spans only when someone collects them: without a tracer provider, a request's activity (which the host
        // starts anyway, for the TraceId of its log lines) is neither sampled nor tagged.
        if (exporting)
        {
            otel.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && http.Connection.LocalPort != metricsPort)
                .AddHttpClientInstrumentation()
                .AddSource(NpgsqlMeter));
        }
        // Nobody reads metrics (no metrics port, no OTLP): no meter provider, so requests record nothing.
        if (metricsPort is not null || exporting)
        {
            otel.WithMetrics(m =>
            {
                m.AddMeter(NpgsqlMeter).AddRuntimeInstrumentation();
                // Every scrape sees the counts as they are (the exporter would otherwise serve one cached answer for 300 ms).
                if (metricsPort is not null) m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        }
        if (exporting) otel.UseOtlpExporter();

        if (metricsPort is { } port)
            builder.Services.AddSingleton<IStartupFilter>(new MetricsEndpoint(port));
    }

    /// <summary><c>LATCHKEY_METRICS_PORT</c>, or null when metrics are not served.</summary>
    public static int? MetricsPortOf(IConfiguration config)
    {
        var value = config[MetricsPortSetting];
        if (string.IsNullOrWhiteSpace(value)) return null;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new InvalidOperationException($"{MetricsPortSetting} must be a TCP port (1-65535), not '{value}'.");
    }

    static void AddLatchkeyLogging(this WebApplicationBuilder builder)
    {
        var format = builder.Configuration[LogFormatSetting];
        var json = string.IsNullOrWhiteSpace(format) ? !builder.Environment.IsDevelopment()
            : format.Equals("json", StringComparison.OrdinalIgnoreCase) ? true
            : format.Equals("text", StringComparison.OrdinalIgnoreCase) ? false
            : throw new InvalidOperationException($"{LogFormatSetting} must be json or text, not '{format}'.");
        // TraceId, SpanId and ParentId as a scope of every line written inside a request (the host's default, stated).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (!json) return;
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            o.JsonWriterOptions = new() { Indented = false };
        });
    }

    /// <summary>
    /// Adds the metrics address next to the public ones (the host has read <c>urls</c> / <c>HTTP_PORTS</c> into
    /// the server's addresses before it builds the pipeline) and puts the metrics branch outermost, before any
    /// middleware of the service, so a scrape is never counted, authenticated or resolved to a project.
    /// </summary>
    sealed class MetricsEndpoint(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var addresses = app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException($"{MetricsPortSetting} needs a server with addresses (Kestrel).");
            // Nothing configured: Kestrel's own default, which an added address would otherwise replace.
            if (addresses.Count == 0) addresses.Add("http://localhost:5000");
            var first = BindingAddress.Parse(addresses.First());
            if (addresses.Select(BindingAddress.Parse).Any(a => a.Port == port))
                throw new InvalidOperationException($"{MetricsPortSetting}={port} is also a public port; give metrics a port of their own.");
            addresses.Add($"http://{first.Host}:{port}");

            app.MapWhen(http => http.Connection.LocalPort == port, metrics =>
            {
                metrics.Use((http, nextInBranch) =>
                {
                    // A scrape is not a request of the service: keep it out of http.server.request.duration.
                    if (http.Features.Get<IHttpMetricsTagsFeature>() is { } tags) tags.MetricsDisabled = true;
                    return nextInBranch(http);
                });
                metrics.UseOpenTelemetryPrometheusScrapingEndpoint(http => HttpMethods.IsGet(http.Request.Method) && http.Request.Path == MetricsPath);
                metrics.Run(http =>
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            });
            next(app);
        };
    }
}
