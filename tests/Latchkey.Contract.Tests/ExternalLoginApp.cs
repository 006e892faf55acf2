using System.Net;
using System.Net.Http.Json;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// A project whose login and consent apps are the test itself (Hydra's protocol through the admin API), for
/// tests that need the authorization endpoint's final response but not the hosted pages.
/// </summary>
public sealed class ExternalLoginApp(Api api, TestProject project)
{
    public const string LoginApp = "http://login.example.test/login";
    public const string ConsentApp = "http://login.example.test/consent";

    public TestProject Project { get; } = project;

    public static async Task<ExternalLoginApp> CreateAsync(PlatformFixture platform, Api api, string name = "external-login")
    {
        var project = await api.CreateProjectAsync(name);
        var (status, _) = await api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json($$"""
            [{"op":"replace","path":"/services/oauth2/config/urls/login","value":"{{LoginApp}}"},
             {"op":"replace","path":"/services/oauth2/config/urls/consent","value":"{{ConsentApp}}"}]
            """));
        Assert.Equal(HttpStatusCode.OK, status);
        return new ExternalLoginApp(api, project);
    }

    /// <summary>
    /// Drives a browser from the authorization URL through login and consent; <paramref name="allow"/> false rejects
    /// the consent; <paramref name="grantScope"/> is what the consent grants (openid and offline_access). Returns the authorization endpoint's last answer (a redirect, or form_post's page).
    /// </summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(HttpClient browser, string authorizeUrl, bool allow = true, string subject = "user-1", string[]? grantScope = null)
    {
        using var start = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var loginChallenge = ChallengeOf(start.Headers.Location!, LoginApp, "login_challenge");
        var afterLogin = await PutAsync($"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(loginChallenge)}",
            JsonContent.Create(new { subject, remember = false }));

        using var back = await browser.GetAsync(afterLogin);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var consentChallenge = Uri.EscapeDataString(ChallengeOf(back.Headers.Location!, ConsentApp, "consent_challenge"));
        var afterConsent = allow
            ? await PutAsync($"/admin/oauth2/auth/requests/consent/accept?consent_challenge={consentChallenge}",
                JsonContent.Create(new { grant_scope = grantScope ?? ["openid", "offline_access"], session = new { id_token = new { email = "user-1@example.com" } } }))
            : await PutAsync($"/admin/oauth2/auth/requests/consent/reject?consent_challenge={consentChallenge}",
                Api.Json("""{"error":"access_denied","error_description":"The user said no."}"""));
        return await browser.GetAsync(afterConsent);
    }

    static string ChallengeOf(Uri location, string app, string parameter)
    {
        Assert.StartsWith($"{app}?{parameter}=", location.ToString());
        return System.Web.HttpUtility.ParseQueryString(location.Query)[parameter]!;
    }

    async Task<string> PutAsync(string path, HttpContent body)
    {
        var (status, json) = await api.SendAsync(HttpMethod.Put, api.At(Project, path), Project.ApiKey, body);
        Assert.Equal(HttpStatusCode.OK, status);
        return json!["redirect_to"]!.GetValue<string>();
    }
}
