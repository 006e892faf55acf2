using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Testing;

/// <summary>
/// Counts the requests one in-process service receives, from ASP.NET Core's own hosting diagnostics (each host has
/// its own <see cref="DiagnosticListener"/>), so nothing is added to the service's pipeline. <c>/health</c> requests
/// (the gateway's active health checks) are not counted.
/// </summary>
internal sealed class RequestTally : IObserver<KeyValuePair<string, object?>>
{
    const string Activity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";
    long _count;

    public RequestTally(WebApplication app) =>
        app.Services.GetRequiredService<DiagnosticListener>().Subscribe(this, (name, _, _) => name.StartsWith(Activity, StringComparison.Ordinal));

    public long Count => Interlocked.Read(ref _count);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == Activity + ".Start" && value.Value is HttpContext http && !http.Request.Path.StartsWithSegments("/health"))
            Interlocked.Increment(ref _count);
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }
}
