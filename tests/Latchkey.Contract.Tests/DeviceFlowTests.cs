using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Web;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The device authorization grant (RFC 8628) as Hydra serves it, driven by Duende's device requests on a fresh project:
/// the device asks for codes and polls; a browser opens the verification URI; the project's device app (here, Hydra-shaped
/// admin JSON) accepts the user code, then the login and consent apps accept; the next poll gets the tokens.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class DeviceFlowTests(PlatformFixture platform)
{
    public const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    const string DeviceApp = "http://device.example.test/verify";
    const string DeviceDone = "http://device.example.test/done";
    const string LoginApp = "http://login.example.test/login";
    const string ConsentApp = "http://login.example.test/consent";
    static readonly string[] Scopes = ["openid", "offline_access", "tv"];
    readonly Api _api = new(platform);

    sealed record Setup(TestProject Project, TestClient Client);

    async Task<Setup> SetupAsync(bool externalApps = true, string? more = null)
    {
        var project = await _api.CreateProjectAsync("device");
        if (externalApps || more is not null)
        {
            var patch = externalApps
                ? $$$"""
                  [{"op":"replace","path":"/services/oauth2/config/urls/login","value":"{{{LoginApp}}}"},
                   {"op":"replace","path":"/services/oauth2/config/urls/consent","value":"{{{ConsentApp}}}"},
                   {"op":"add","path":"/services/oauth2/config/urls/device","value":{"verification":"{{{DeviceApp}}}","success":"{{{DeviceDone}}}"}}{{{more}}}]
                  """
                : $"[{more!.TrimStart(',')}]";
            var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json(patch));
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        }
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"TV","grant_types":["{{DeviceGrant}}","refresh_token"],"scope":"openid offline_access tv"}
            """);
        return new Setup(project, client);
    }

    Task<DeviceAuthorizationResponse> AuthorizeDeviceAsync(Setup s, TestClient? client = null, string scope = "openid offline_access tv") =>
        _api.Http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = s.Project.Issuer + "/oauth2/device/auth",
            ClientId = (client ?? s.Client).Id,
            ClientSecret = (client ?? s.Client).Secret,
            Scope = scope,
        });

    Task<TokenResponse> PollAsync(Setup s, string deviceCode, TestClient? client = null) =>
        _api.Http.RequestDeviceTokenAsync(new DeviceTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = (client ?? s.Client).Id,
            ClientSecret = (client ?? s.Client).Secret,
            DeviceCode = deviceCode,
        });

    static string Parameter(Uri location, string name) => HttpUtility.ParseQueryString(location.Query)[name]!;

    static async Task<Uri> FollowAsync(HttpClient browser, string url)
    {
        using var response = await browser.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    async Task<string> PutAsync(Setup s, string path, object body)
    {
        var (status, redirect) = await _api.SendAsync(HttpMethod.Put, _api.At(s.Project, path), s.Project.ApiKey, JsonContent.Create(body));
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {redirect?.ToJsonString()}");
        return redirect!["redirect_to"]!.GetValue<string>();
    }

    /// <summary>The browser opens the verification URI and lands on the device app with a challenge.</summary>
    async Task<string> OpenVerificationAsync(HttpClient browser, Setup s, string verificationUri)
    {
        var app = await FollowAsync(browser, verificationUri);
        Assert.StartsWith(DeviceApp + "?device_challenge=", app.ToString());
        return Parameter(app, "device_challenge");
    }

    /// <summary>Device app, login app and consent app accept in turn; returns where the browser ends.</summary>
    async Task<Uri> ApproveAsync(HttpClient browser, Setup s, DeviceAuthorizationResponse device, bool rejectConsent = false)
    {
        var challenge = await OpenVerificationAsync(browser, s, device.VerificationUri!);
        var verify = await PutAsync(s, $"/admin/oauth2/auth/requests/device/accept?device_challenge={Uri.EscapeDataString(challenge)}",
            new { user_code = device.UserCode!.ToLowerInvariant() });
        Assert.StartsWith(s.Project.Issuer + "/oauth2/device/verify?device_verifier=", verify);

        var login = await FollowAsync(browser, verify);
        Assert.StartsWith(LoginApp + "?login_challenge=", login.ToString());
        var (status, request) = await _api.SendAsync(HttpMethod.Get,
            _api.At(s.Project, $"/admin/oauth2/auth/requests/login?login_challenge={Uri.EscapeDataString(Parameter(login, "login_challenge"))}"), s.Project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(s.Client.Id, request!["client"]!["client_id"]!.GetValue<string>());
        Assert.Equal(Scopes, request["requested_scope"]!.AsArray().Select(v => v!.GetValue<string>()));

        var afterLogin = await PutAsync(s, $"/admin/oauth2/auth/requests/login/accept?login_challenge={Uri.EscapeDataString(Parameter(login, "login_challenge"))}",
            new { subject = "tv-user" });
        var consent = await FollowAsync(browser, afterLogin);
        Assert.StartsWith(ConsentApp + "?consent_challenge=", consent.ToString());
        var consentChallenge = Uri.EscapeDataString(Parameter(consent, "consent_challenge"));
        var afterConsent = rejectConsent
            ? await PutAsync(s, $"/admin/oauth2/auth/requests/consent/reject?consent_challenge={consentChallenge}", new { error = "access_denied", error_description = "The user said no." })
            : await PutAsync(s, $"/admin/oauth2/auth/requests/consent/accept?consent_challenge={consentChallenge}",
                new { grant_scope = Scopes, session = new { id_token = new { name = "TV User" } } });
        using var done = await browser.GetAsync(afterConsent);
        return done.StatusCode == HttpStatusCode.Redirect ? done.Headers.Location! : new Uri($"status:{(int)done.StatusCode}");
    }

    [Fact]
    public async Task DeviceFlow_ExternalApps_PendingThenTokens()
    {
        var s = await SetupAsync();
        var device = await AuthorizeDeviceAsync(s);
        Assert.False(device.IsError, device.Error + " " + device.ErrorDescription);
        Assert.StartsWith("lk_dc_", device.DeviceCode);
        Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", device.UserCode);
        Assert.Equal(s.Project.Issuer + "/oauth2/device/verify", device.VerificationUri);
        Assert.Equal($"{device.VerificationUri}?user_code={device.UserCode}", device.VerificationUriComplete);
        Assert.Equal(600, device.ExpiresIn);
        Assert.Equal(5, device.Interval);

        var pending = await PollAsync(s, device.DeviceCode!);
        Assert.Equal("authorization_pending", pending.Error);

        using var browser = platform.CreateClient(cookies: new CookieContainer());
        var done = await ApproveAsync(browser, s, device);
        Assert.Equal($"{DeviceDone}?client_id={s.Client.Id}", done.ToString());

        var tokens = await PollAsync(s, device.DeviceCode!);
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        Assert.StartsWith("lk_at_", tokens.AccessToken);
        Assert.StartsWith("lk_rt_", tokens.RefreshToken);
        var id = await Oidc.ValidIdTokenAsync(_api.Http, s.Project.Issuer, s.Client.Id, tokens.IdentityToken);
        Assert.Equal("tv-user", id.Subject);
        Assert.Equal("TV User", id.GetClaim("name").Value);
        var introspected = await _api.IntrospectAsync(s.Project, tokens.AccessToken!);
        Assert.True(introspected["active"]!.GetValue<bool>());
        Assert.Equal("tv-user", introspected["sub"]!.GetValue<string>());

        var again = await PollAsync(s, device.DeviceCode!);
        Assert.Equal("invalid_grant", again.Error);
    }

    [Fact]
    public async Task DeviceFlow_ConsentRejected_PollAnswersAccessDenied()
    {
        var s = await SetupAsync();
        var device = await AuthorizeDeviceAsync(s);
        using var browser = platform.CreateClient(cookies: new CookieContainer());
        await ApproveAsync(browser, s, device, rejectConsent: true);

        var denied = await PollAsync(s, device.DeviceCode!);
        Assert.Equal("access_denied", denied.Error);
    }

    [Fact]
    public async Task DeviceFlow_PollingFasterThanTheInterval_AnswersSlowDown()
    {
        var s = await SetupAsync();
        var device = await AuthorizeDeviceAsync(s);

        Assert.Equal("authorization_pending", (await PollAsync(s, device.DeviceCode!)).Error);
        var fast = await PollAsync(s, device.DeviceCode!);
        Assert.Equal("slow_down", fast.Error);
        Assert.Equal("LK1208", Api.ErrorIdOf(fast.HttpResponse));
    }

    [Fact]
    public async Task DeviceFlow_TtlDeviceUserCode_ExpiresTheDeviceCode()
    {
        var s = await SetupAsync(more: """,{"op":"add","path":"/services/oauth2/config/ttl/device_user_code","value":"1s"}""");
        var device = await AuthorizeDeviceAsync(s);
        Assert.Equal(1, device.ExpiresIn);
        // Not a timing assertion: the code's own expiry is what is waited out, then the answer is checked.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var expired = await PollAsync(s, device.DeviceCode!);
        Assert.Equal("expired_token", expired.Error);
    }

    [Fact]
    public async Task DeviceFlow_TokenPollingInterval_IsTheIntervalSent()
    {
        var s = await SetupAsync(more: """,{"op":"add","path":"/services/oauth2/config/oauth2/device_authorization","value":{"token_polling_interval":"7s"}}""");
        var device = await AuthorizeDeviceAsync(s);
        Assert.Equal(7, device.Interval);
    }

    [Fact]
    public async Task DeviceAccept_WrongUserCodes_AreLimitedPerRequest()
    {
        var s = await SetupAsync();
        var device = await AuthorizeDeviceAsync(s);
        using var browser = platform.CreateClient(cookies: new CookieContainer());
        var challenge = Uri.EscapeDataString(await OpenVerificationAsync(browser, s, device.VerificationUri!));
        var accept = _api.At(s.Project, $"/admin/oauth2/auth/requests/device/accept?device_challenge={challenge}");

        for (var i = 0; i < 5; i++)
        {
            var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Put, accept, s.Project.ApiKey, JsonContent.Create(new { user_code = "BBBB-BBBB" }));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Api.AssertOAuth2Error(body, "invalid_request");
            Assert.Equal("LK1203", id);
        }
        // Even the right code is refused once the request has used up its attempts.
        var (limited, limitedBody, limitedId) = await _api.SendForErrorAsync(HttpMethod.Put, accept, s.Project.ApiKey, JsonContent.Create(new { user_code = device.UserCode }));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Equal("LK1204", limitedId);
        Assert.NotNull(limitedBody?["error_description"]);
    }

    [Fact]
    public async Task DeviceAccept_BadInput_AnswersInHydrasShape()
    {
        var s = await SetupAsync();
        var noChallenge = await _api.SendForErrorAsync(HttpMethod.Put, _api.At(s.Project, "/admin/oauth2/auth/requests/device/accept"), s.Project.ApiKey, JsonContent.Create(new { user_code = "BBBB-BBBB" }));
        Assert.Equal((HttpStatusCode.BadRequest, "LK1200"), (noChallenge.Status, noChallenge.ErrorId));
        var unknown = await _api.SendForErrorAsync(HttpMethod.Put, _api.At(s.Project, $"/admin/oauth2/auth/requests/device/accept?device_challenge={Guid.NewGuid():N}.x"), s.Project.ApiKey, JsonContent.Create(new { user_code = "BBBB-BBBB" }));
        Assert.Equal((HttpStatusCode.NotFound, "LK1202"), (unknown.Status, unknown.ErrorId));
        var empty = await _api.SendForErrorAsync(HttpMethod.Put, _api.At(s.Project, "/admin/oauth2/auth/requests/device/accept?device_challenge=x"), s.Project.ApiKey, JsonContent.Create(new { user_code = "" }));
        Assert.Equal((HttpStatusCode.BadRequest, "LK1201"), (empty.Status, empty.ErrorId));
    }

    [Fact]
    public async Task DeviceCode_OfAnotherClientOrProject_IsRefused()
    {
        var s = await SetupAsync();
        var device = await AuthorizeDeviceAsync(s);
        var other = await _api.CreateClientAsync(s.Project, $$"""{"grant_types":["{{DeviceGrant}}"],"scope":"tv"}""");
        var otherClient = await PollAsync(s, device.DeviceCode!, other);
        Assert.Equal("invalid_grant", otherClient.Error);
        Assert.Equal("LK1210", Api.ErrorIdOf(otherClient.HttpResponse));

        var elsewhere = await SetupAsync();
        var stranger = await PollAsync(elsewhere, device.DeviceCode!);
        Assert.True(stranger.Error is "invalid_grant" or "invalid_token", stranger.Error);
        Assert.Equal("authorization_pending", (await PollAsync(s, device.DeviceCode!)).Error);
    }

    [Fact]
    public async Task DeviceAuthorization_ClientWithoutTheGrant_IsUnauthorized()
    {
        var s = await SetupAsync();
        var web = await _api.CreateClientAsync(s.Project, """{"grant_types":["client_credentials"],"scope":"tv"}""");
        var refused = await AuthorizeDeviceAsync(s, web, "tv");
        Assert.Equal("unauthorized_client", refused.Error);
        var wrongSecret = await AuthorizeDeviceAsync(s, s.Client with { Secret = "wrong" });
        Assert.Equal("invalid_client", Api.OAuth2Error(wrongSecret));
    }

    [GeneratedRegex("href=\"(/ui/registration[^\"]+)\"")]
    private static partial Regex RegistrationLink();

    async Task<(Uri Page, string Html)> PageAsync(HttpClient browser, Uri url, string startsWith)
    {
        Assert.StartsWith(startsWith, url.ToString());
        using var page = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return (url, await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeviceFlow_HostedPages_VerifySignUpConsentThenTokens()
    {
        var s = await SetupAsync(externalApps: false);
        var device = await AuthorizeDeviceAsync(s);
        using var browser = platform.CreateClient(cookies: new CookieContainer());

        // The complete URI carries the code: the page shows it filled in; a wrong one first, then the right one.
        var verify = await PageAsync(browser, await FollowAsync(browser, device.VerificationUriComplete!), s.Project.Issuer + "/ui/device/verify?device_challenge=");
        Assert.Contains($"value=\"{device.UserCode!.Replace("-", "")}\"", verify.Html);
        using (var wrong = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(verify.Page, verify.Html), ("user_code", "BBBB-BBBB")))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            verify = (verify.Page, await wrong.Content.ReadAsStringAsync());
        }
        using var accepted = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(verify.Page, verify.Html), ("user_code", device.UserCode.ToLowerInvariant()));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var login = await PageAsync(browser, await FollowAsync(browser, accepted.Headers.Location!.ToString()), s.Project.Issuer + "/ui/login?login_challenge=");
        var link = RegistrationLink().Match(login.Html);
        Assert.True(link.Success, "the login page links to sign-up");
        var registration = await PageAsync(browser, new Uri(login.Page, WebUtility.HtmlDecode(link.Groups[1].Value)), s.Project.Issuer + "/ui/registration");
        using var signedUp = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(registration.Page, registration.Html),
            ("email", $"tv-{Guid.NewGuid():N}@example.com"), ("password", "correct horse battery"));
        Assert.Equal(HttpStatusCode.Redirect, signedUp.StatusCode);

        var consent = await PageAsync(browser, await FollowAsync(browser, signedUp.Headers.Location!.ToString()), s.Project.Issuer + "/ui/consent?consent_challenge=");
        using var allowed = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(consent.Page, consent.Html),
            ("grant_scope", "openid"), ("grant_scope", "offline_access"), ("grant_scope", "tv"), ("action", "allow"), ("remember", ""));
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        var success = await PageAsync(browser, await FollowAsync(browser, allowed.Headers.Location!.ToString()), s.Project.Issuer + "/ui/device/success?client_id=");
        Assert.Contains("Device connected", success.Html);

        var tokens = await PollAsync(s, device.DeviceCode!);
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        Assert.StartsWith("lk_rt_", tokens.RefreshToken);
        Assert.NotNull(tokens.IdentityToken);
    }
}
