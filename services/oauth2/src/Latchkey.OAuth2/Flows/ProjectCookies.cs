using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Names and options of every cookie the oauth2 service sets on a project's host. Projects are sibling hosts
/// under <c>projects.&lt;domain&gt;</c>, so a page on one of them (a project's own login app, or script that ran
/// there) could set a cookie for the parent domain that every other project then receives. Cookies are therefore
/// host-only (never a Domain), and when the public URL is https they carry the <c>__Host-</c> prefix: a browser
/// accepts such a cookie only from the host itself, Secure, with Path=/ and no Domain, so no sibling can plant
/// one and we read only the prefixed name. On plain-http development (<c>http://&lt;slug&gt;.projects.localhost</c>)
/// browsers refuse <c>__Host-</c> cookies, which need Secure; there the names stay unprefixed, host-only.
/// </summary>
public static class ProjectCookies
{
    public const string HostPrefix = "__Host-";

    public static bool UsesHostPrefix(PlatformSettings settings) => settings.PublicUrl.Scheme == Uri.UriSchemeHttps;

    public static string Name(HttpContext http, string name) =>
        UsesHostPrefix(http.RequestServices.GetRequiredService<PlatformSettings>()) ? HostPrefix + name : name;

    /// <summary>Secure whenever the public URL is https, or this request came over TLS (directly or through a trusted proxy).</summary>
    public static bool IsSecure(HttpContext http) =>
        http.Request.IsHttps || UsesHostPrefix(http.RequestServices.GetRequiredService<PlatformSettings>());

    public static CookieOptions Options(HttpContext http, DateTimeOffset? expires = null) => new()
    {
        HttpOnly = true,
        Secure = IsSecure(http),
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
    };

    public static void Append(HttpContext http, string name, string value, DateTimeOffset? expires) =>
        http.Response.Cookies.Append(Name(http, name), value, Options(http, expires));

    public static string? Read(HttpContext http, string name) =>
        http.Request.Cookies.TryGetValue(Name(http, name), out var value) ? value : null;

    public static bool IsPresent(HttpContext http, string name) => http.Request.Cookies.ContainsKey(Name(http, name));

    /// <summary>A deletion must match the cookie's attributes, or a browser keeps a <c>__Host-</c> cookie.</summary>
    public static void Delete(HttpContext http, string name) => http.Response.Cookies.Delete(Name(http, name), Options(http));
}
