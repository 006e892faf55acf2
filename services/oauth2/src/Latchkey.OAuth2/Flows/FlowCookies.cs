namespace Latchkey.OAuth2.Flows;

/// <summary>
/// The cookie that binds a login/consent or logout flow to the browser that started it; a verifier without it
/// does nothing. Named and scoped by <see cref="ProjectCookies"/>, so a sibling project's host cannot plant one.
/// </summary>
public static class FlowCookies
{
    public static string NameFor(Guid flowId) => $"lk_csrf_{flowId:N}";

    public static void Issue(HttpContext http, Guid flowId, string csrf, DateTimeOffset expires) =>
        ProjectCookies.Append(http, NameFor(flowId), csrf, expires);

    /// <summary>The browser's cookie for the flow a challenge or verifier names; the flow compares it with its own.</summary>
    public static string? Read(HttpContext http, string? challengeOrVerifier) =>
        FlowSecrets.FlowIdOf(challengeOrVerifier) is { } flowId ? ProjectCookies.Read(http, NameFor(flowId)) : null;

    public static void Clear(HttpContext http, Guid flowId) => ProjectCookies.Delete(http, NameFor(flowId));
}
