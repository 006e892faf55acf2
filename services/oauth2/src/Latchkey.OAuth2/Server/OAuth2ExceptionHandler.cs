using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using JasperFx;
using Latchkey.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using StackExchange.Redis;

namespace Latchkey.OAuth2.Server;

/// <summary>
/// The one place the oauth2 service maps exceptions to errors, all in Hydra's OAuth2 shape (it runs before
/// the shared handler, which answers in the control plane's envelope): bad bodies 400/413, storage conflicts
/// 409, an unreachable database or cache 503 <c>temporarily_unavailable</c> with <c>Retry-After</c>, anything
/// else 500 <c>server_error</c>.
/// </summary>
public sealed class OAuth2ExceptionHandler(ILogger<OAuth2ExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before retrying during an outage; a failover or restart takes about this long.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The client went away: there is no one to answer and nothing went wrong on our side.
        if (httpContext.RequestAborted.IsCancellationRequested) return true;

        var error = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => ServerErrors.BodyTooLarge,
            BadHttpRequestException { InnerException: JsonException } => ServerErrors.MalformedJson,
            BadHttpRequestException bad => ServerErrors.Unbindable(bad.Message, bad.StatusCode),
            JsonException => ServerErrors.MalformedJson,
            InvalidDataException form => ServerErrors.FormTooLarge(form.Message),
            DocumentAlreadyExistsException or ConcurrencyException or OpenIddict.Abstractions.OpenIddictExceptions.ConcurrencyException =>
                ServerErrors.ConcurrentChange,
            _ when IsOutage(exception) => ServerErrors.StorageUnavailable,
            _ => null,
        };
        if (error is null)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            error = ServerErrors.Unexpected;
        }
        else if (error == ServerErrors.StorageUnavailable)
        {
            logger.LogWarning(exception, "Storage unavailable on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
        httpContext.Response.Headers.CacheControl = "no-store";
        await error.WriteAsync(httpContext);
        return true;
    }

    /// <summary>
    /// A JSON body over the size cap never reaches <see cref="TryHandleAsync"/>: minimal APIs catch the read
    /// error and answer an empty 413 themselves. It gets the OAuth2 shape too. Other empty answers (OpenIddict's
    /// userinfo challenge, whose error is in <c>WWW-Authenticate</c>) are left as they are.
    /// </summary>
    public static Task WriteEmptyErrorAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode != StatusCodes.Status413PayloadTooLarge) return Task.CompletedTask;
        http.Response.Headers.CacheControl = "no-store";
        return ServerErrors.BodyTooLarge.WriteAsync(http);
    }

    /// <summary>
    /// PostgreSQL or Redis cannot be reached: the connection failed, broke or timed out, or the server is
    /// shutting down or refusing connections. Marten and OpenIddict wrap these, so the whole chain is searched.
    /// Errors of the query itself (a constraint, a syntax error) are not outages.
    /// </summary>
    static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // Connection exceptions, admin or crash shutdown, "cannot connect now", too many connections.
                    if (pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) || pg.SqlState == "53300")
                        return true;
                    break;
                case NpgsqlException { IsTransient: true }:
                case SocketException or TimeoutException:
                case RedisConnectionException or RedisTimeoutException:
                    return true;
            }
        }
        return false;
    }
}
