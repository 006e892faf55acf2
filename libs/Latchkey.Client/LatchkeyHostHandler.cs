namespace Latchkey.Client;

/// <summary>
/// A handler that sends requests for <c>*.&lt;domain&gt;</c> URLs (issuers, redirects, discovery endpoints)
/// to the gateway with the right <c>Host</c> header, for code that follows URLs handed out by Latchkey.
/// </summary>
/// <remarks>
/// Put it above the handler that follows redirects, or turn automatic redirects off and follow them yourself:
/// a redirect followed below this handler is not rewritten.
/// </remarks>
public sealed class LatchkeyHostHandler(LatchkeyHosts hosts) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        hosts.Rewrite(request);
        return base.SendAsync(request, cancellationToken);
    }
}
