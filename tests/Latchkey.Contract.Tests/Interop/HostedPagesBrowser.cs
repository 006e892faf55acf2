using System.Net;
using System.Text.RegularExpressions;
using Duende.IdentityModel.OidcClient.Browser;
using Xunit;

namespace Latchkey.Contract.Tests.Interop;

/// <summary>
/// A user at a browser without JavaScript on a project's hosted pages: follows redirects, signs up (the first time)
/// or signs in on <c>/ui/login</c>, allows every requested scope on <c>/ui/consent</c>, confirms <c>/ui/logout</c>,
/// and submits form_post pages as their script would. As an OidcClient <see cref="IBrowser"/>, it stops at the
/// library's end URL (a loopback redirect URI nobody listens on) and hands it back.
/// </summary>
public sealed partial class HostedPagesBrowser(HttpClient browser, string email, string password) : IBrowser
{
    /// <summary>Whether the next login page is answered by signing up rather than in.</summary>
    public bool SignUp { get; set; } = true;

    /// <summary>Whether to tick "remember me" on the login page, so that the project keeps a login session.</summary>
    public bool Remember { get; set; }

    /// <summary>Every URL requested, in order, to assert which pages a flow passed.</summary>
    public List<Uri> Visited { get; } = [];

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    [GeneratedRegex("<input id=\"scope-\\d+\" name=\"grant_scope\" type=\"checkbox\" value=\"([^\"]+)\"")]
    private static partial Regex ScopeCheckbox();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
    {
        var end = await FollowAsync(new Uri(options.StartUrl), url => url.ToString().StartsWith(options.EndUrl, StringComparison.Ordinal), cancellationToken);
        return new BrowserResult { ResultType = BrowserResultType.Success, Response = end.ToString() };
    }

    /// <summary>Browses from <paramref name="start"/> until a redirect targets a URL <paramref name="isEnd"/> accepts, and returns that URL unvisited.</summary>
    public async Task<Uri> FollowAsync(Uri start, Func<Uri, bool> isEnd, CancellationToken ct)
    {
        var (url, response) = (start, await GetAsync(start, ct));
        for (var step = 0; step < 30; step++)
        {
            var current = response;
            using (current)
            {
                if (current.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.RedirectKeepVerb)
                {
                    var next = new Uri(url, current.Headers.Location!);
                    if (isEnd(next)) return next;
                    (url, response) = (next, await GetAsync(next, ct));
                    continue;
                }
                var html = await current.Content.ReadAsStringAsync(ct);
                Assert.True(current.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)current.StatusCode}: {html}");
                (url, response) = await AnswerPageAsync(url, html, ct);
            }
        }
        throw new InvalidOperationException("Too many steps: " + string.Join(" -> ", Visited));
    }

    /// <summary>Fills and submits the page, as its user (or, for form_post, its script) would.</summary>
    async Task<(Uri, HttpResponseMessage)> AnswerPageAsync(Uri url, string html, CancellationToken ct)
    {
        switch (url.AbsolutePath)
        {
            case "/ui/login" when SignUp:
                SignUp = false;
                var link = RegistrationLink().Match(html);
                Assert.True(link.Success, "the login page links to sign-up");
                var registration = new Uri(url, WebUtility.HtmlDecode(link.Groups[1].Value));
                using (var page = await GetAsync(registration, ct))
                    return await PostAsync(registration, await page.Content.ReadAsStringAsync(ct), [("email", email), ("password", password)], ct);
            case "/ui/login":
                return await PostAsync(url, html, [("email", email), ("password", password), ("remember", Remember ? "true" : "")], ct);
            case "/ui/consent":
                var scopes = ScopeCheckbox().Matches(html).Select(m => ("grant_scope", m.Groups[1].Value));
                return await PostAsync(url, html, [.. scopes, ("action", "allow")], ct);
            case "/ui/logout":
                return await PostAsync(url, html, [("action", "logout")], ct);
            case "/oauth2/auth":
                // response_mode=form_post: the page's script would post this form to the client.
                return await PostAsync(url, html, [], ct);
            default:
                throw new InvalidOperationException($"The browser does not know what to do on {url}: {html}");
        }
    }

    async Task<HttpResponseMessage> GetAsync(Uri url, CancellationToken ct)
    {
        Visited.Add(url);
        return await browser.GetAsync(url, ct);
    }

    async Task<(Uri, HttpResponseMessage)> PostAsync(Uri page, string html, (string Name, string Value)[] values, CancellationToken ct)
    {
        var action = new Uri(page, WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value));
        var fields = HiddenInput().Matches(html).Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value)));
        Visited.Add(action);
        var response = await browser.PostAsync(action, new FormUrlEncodedContent(fields.Concat(values.Select(v => KeyValuePair.Create(v.Name, v.Value)))), ct);
        return (action, response);
    }
}
