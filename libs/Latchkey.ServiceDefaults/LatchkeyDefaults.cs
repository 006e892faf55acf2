using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Latchkey.ServiceDefaults;

public static class LatchkeyDefaults
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }

    static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    /// <summary>Settings, graceful shutdown, snake_case JSON, OpenTelemetry, health and one place that maps exceptions to errors.</summary>
    public static WebApplicationBuilder AddLatchkeyDefaults(this WebApplicationBuilder builder, string serviceName, int? defaultPort = null)
    {
        if (defaultPort is { } port && string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var settings = PlatformSettings.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);
        // The one clock: code takes TimeProvider, never DateTime.UtcNow, so expiry is testable with a fake clock.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTrustedProxies(builder.Configuration);
        builder.AddGracefulShutdown();
        builder.Services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        // Malformed bodies reach the exception handler, which answers in Ory's envelope instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<OryExceptionHandler>();
        // Per-request information logs cost more than the request itself on the token path, and
        // OpenIddict's echo request parameters; keep libraries at Warning unless configured otherwise.
        foreach (var category in new[] { "Microsoft.AspNetCore", "OpenIddict", "Yarp", "Marten", "Npgsql" })
            builder.Logging.AddFilter(category, LogLevel.Warning);

        // Metrics (GET /metrics on LATCHKEY_METRICS_PORT), traces and the log format: Telemetry.cs.
        builder.AddLatchkeyTelemetry(serviceName);
        return builder;
    }

    /// <summary>
    /// Forwarded headers from trusted proxies and HSTS (see <see cref="TransportSecurity"/>), then
    /// <c>/health/alive</c> answers while the process runs; <c>/health/ready</c> only when every readiness check passes.</summary>
    public static WebApplication MapLatchkeyDefaults(this WebApplication app)
    {
        app.UseTransportSecurity(app.Services.GetRequiredService<PlatformSettings>());
        app.UseExceptionHandler();
        app.MapGet("/health/alive", () => Results.Json(new { status = "ok" }));
        app.MapGet("/health/ready", async (IEnumerable<IReadinessCheck> checks, CancellationToken ct) =>
        {
            foreach (var check in checks)
            {
                if (!await check.IsReadyAsync(ct))
                    return Results.Json(new { errors = new Dictionary<string, string> { [check.Name] = "unavailable" } }, statusCode: 503);
            }
            return Results.Json(new { status = "ok" });
        });
        return app;
    }

    sealed class OryExceptionHandler(ILogger<OryExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            // The client went away: there is no one to answer and nothing went wrong on our side.
            if (http.RequestAborted.IsCancellationRequested) return true;

            var error = exception switch
            {
                BadHttpRequestException { StatusCode: 413 } => OryError.PayloadTooLarge("The request body exceeds the allowed size."),
                BadHttpRequestException bad => new OryError(bad.StatusCode, "The request was malformed or contained invalid parameters", bad.Message),
                JsonException => OryError.BadRequest("The request body is not valid JSON."),
                _ => null,
            };
            if (error is null)
            {
                logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path);
                error = OryError.Internal();
            }
            await error.WriteAsync(http);
            return true;
        }
    }
}
