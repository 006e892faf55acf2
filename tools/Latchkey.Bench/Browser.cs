using System.Net;
using Latchkey.Client;

namespace Latchkey.Bench;

/// <summary>
/// A browser for one authorization-code flow: its own cookies, redirects handed back instead of followed (the bench
/// plays the login app, which is never contacted), and every Latchkey URL reached at the gateway on loopback.
/// </summary>
/// <remarks>
/// The cookies are kept here, by the URL the server handed out, rather than in the handler: the request that reaches
/// the handler already points at the gateway's address, not at the project's host the cookies belong to.
/// </remarks>
sealed class Browser(HttpClient http, LatchkeyHosts hosts)
{
    readonly CookieContainer _cookies = new();

    /// <summary>GETs <paramref name="url"/> and returns where its answer redirects to; anything but a redirect fails.</summary>
    public async Task<Uri> RedirectOfAsync(Uri url, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_cookies.GetCookieHeader(url) is { Length: > 0 } cookies)
            request.Headers.Add("Cookie", cookies);
        hosts.Rewrite(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            foreach (var setCookie in setCookies)
                _cookies.SetCookies(url, setCookie);
        var status = (int)response.StatusCode;
        return status is >= 300 and < 400 && response.Headers.Location is { } location
            ? new Uri(url, location)
            : throw new BenchException($"authorization flow: GET {url.GetLeftPart(UriPartial.Path)} answered {status}, expected a redirect");
    }
}
