namespace Latchkey.OAuth2.Flows;

/// <summary>The cookie that binds a flow to the browser that started it; a verifier without it yields no code.</summary>
public static class FlowCookies
{
    public static string NameFor(Guid flowId) => $"lk_csrf_{flowId:N}";

    public static void Issue(HttpContext http, LoginConsentFlow flow) =>
        http.Response.Cookies.Append(NameFor(flow.Id), flow.Csrf, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            Expires = flow.ExpiresAt,
        });

    public static bool IsPresent(HttpContext http, LoginConsentFlow flow) =>
        http.Request.Cookies.TryGetValue(NameFor(flow.Id), out var value) && FlowSecrets.Matches(value, flow.Csrf);

    public static void Clear(HttpContext http, LoginConsentFlow flow) => http.Response.Cookies.Delete(NameFor(flow.Id), new CookieOptions { Path = "/" });
}
