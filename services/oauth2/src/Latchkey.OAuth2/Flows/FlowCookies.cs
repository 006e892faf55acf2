namespace Latchkey.OAuth2.Flows;

/// <summary>The cookie that binds a login/consent or logout flow to the browser that started it; a verifier without it does nothing.</summary>
public static class FlowCookies
{
    public static string NameFor(Guid flowId) => $"lk_csrf_{flowId:N}";

    public static void Issue(HttpContext http, Guid flowId, string csrf, DateTimeOffset expires) =>
        http.Response.Cookies.Append(NameFor(flowId), csrf, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            Expires = expires,
        });

    public static bool IsPresent(HttpContext http, Guid flowId, string csrf) =>
        http.Request.Cookies.TryGetValue(NameFor(flowId), out var value) && FlowSecrets.Matches(value, csrf);

    public static void Clear(HttpContext http, Guid flowId) => http.Response.Cookies.Delete(NameFor(flowId), new CookieOptions { Path = "/" });
}
