using System.Security.Cryptography;
using System.Text;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The headers of every HTML page the oauth2 service serves on a project's host: the hosted pages and
/// OpenIddict's form_post page. The Content-Security-Policy allows no script but OpenIddict's own
/// auto-submit line (by hash), no style but the hosted pages' own (by hash), no framing, no
/// <c>&lt;base&gt;</c>, and forms only to this host and to where the flow may end.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The one script OpenIddict.Server.AspNetCore's ProcessFormPostResponse writes, verbatim.</summary>
    public const string FormPostScript = "document.form.submit();";

    static readonly string ScriptSource = HashSource(FormPostScript);

    static readonly string StyleSource = HashSource(HostedPages.Style);

    static string HashSource(string inline) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)))}'";

    /// <summary>
    /// For a hosted page whose forms post here. Browsers also hold the redirects that follow a form
    /// submission to form-action, so it lists where the flow may go next (the client's redirect URI, the
    /// project's own apps).
    /// </summary>
    public static void ApplyToHostedPage(HttpResponse response, IEnumerable<string?> redirectTargets)
    {
        var targets = string.Concat(redirectTargets.Select(Source).OfType<string>().Distinct().Select(t => " " + t));
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src {StyleSource}; form-action 'self'{targets}; frame-ancestors 'none'; base-uri 'none'";
        ApplyCommon(response);
    }

    /// <summary>For OpenIddict's form_post page: its one script, and a form only to the validated redirect URI.</summary>
    public static void ApplyToFormPost(HttpResponse response, string redirectUri)
    {
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src {ScriptSource}; form-action {Source(redirectUri) ?? "'none'"}; frame-ancestors 'none'; base-uri 'none'";
        ApplyCommon(response);
    }

    /// <summary>
    /// For the page that ends a logout (<see cref="FrontChannelLogoutPage"/>): its one script (by hash), and frames
    /// only of the clients' front-channel logout URIs.
    /// </summary>
    public static void ApplyToFrontChannelLogout(HttpResponse response, IEnumerable<string> frameUris)
    {
        var frames = string.Join(' ', frameUris.Select(Source).OfType<string>().Distinct());
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src {FrontChannelScriptSource}; style-src {StyleSource}; frame-src {(frames.Length == 0 ? "'none'" : frames)}; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        ApplyCommon(response);
    }

    static readonly string FrontChannelScriptSource = HashSource(FrontChannelLogoutPage.Script);

    static void ApplyCommon(HttpResponse response)
    {
        response.Headers["Referrer-Policy"] = "no-referrer";
        // For browsers that predate frame-ancestors.
        response.Headers.XFrameOptions = "DENY";
    }

    /// <summary>
    /// A URI as a CSP source expression: scheme, host, port and path for http(s) (CSP compares the path
    /// exactly for a form post and ignores it after a redirect), the scheme alone for a native app's
    /// private-use scheme. ';' and ',' end a directive or a policy, so they are percent-encoded (CSP decodes
    /// paths before comparing). Null for anything else.
    /// </summary>
    public static string? Source(string? value)
    {
        if (value is null || !Uri.TryCreate(value, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is "http" or "https")
            return (uri.GetLeftPart(UriPartial.Authority) + uri.AbsolutePath).Replace(";", "%3B", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
        return uri.Scheme.Contains('.', StringComparison.Ordinal) ? uri.Scheme + ":" : null;
    }
}
