using System.Text;
using System.Text.Encodings.Web;

namespace Latchkey.OAuth2.Hosted;

/// <summary>
/// The end of a logout whose session's clients have front-channel logout URIs (Front-Channel Logout 1.0 §3): a page
/// that frames each one, hidden, and then sends the browser on to where the logout ends — once every frame has
/// loaded, or after a few seconds, or at once by the link for a browser without script.
/// </summary>
public static class FrontChannelLogoutPage
{
    /// <summary>The page's one script, allowed by its hash (<see cref="SecurityHeaders.ApplyToFrontChannelLogout"/>).</summary>
    internal const string Script =
        "var f=document.querySelectorAll('iframe'),n=f.length,d=false,go=function(){if(!d){d=true;location.replace(document.body.getAttribute('data-next'));}};" +
        "f.forEach(function(i){i.addEventListener('load',function(){if(--n<=0)go();});});setTimeout(go,5000);";

    public static async Task WriteAsync(HttpContext http, IReadOnlyList<string> frameUris, string next)
    {
        static string E(string value) => HtmlEncoder.Default.Encode(value);
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signing out</title>")
            .Append("<style>").Append(HostedPages.Style).Append("</style></head>")
            .Append("<body data-next=\"").Append(E(next)).Append("\"><main><h1>Signing out</h1><p>You are being signed out of the applications you used.</p>")
            .Append("<p><a href=\"").Append(E(next)).Append("\">Continue</a></p></main>");
        foreach (var uri in frameUris)
            html.Append("<iframe hidden title=\"logout\" src=\"").Append(E(uri)).Append("\"></iframe>");
        html.Append("<script>").Append(Script).Append("</script></body></html>");

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        SecurityHeaders.ApplyToFrontChannelLogout(http.Response, frameUris);
        await http.Response.WriteAsync(html.ToString());
    }
}
