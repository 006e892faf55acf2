using System.Net;
using Duende.IdentityModel.OidcClient;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests.Interop;

/// <summary>
/// Duende.IdentityModel.OidcClient, an OpenID-certified relying-party library, against a fresh project as a new user
/// meets it: a project made through the control plane, a native (public) client with a loopback redirect URI, the
/// project's hosted sign-up, login and consent pages, then refresh, userinfo and logout.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OidcClientTests(PlatformFixture platform)
{
    const string Password = "correct horse battery";
    readonly Api _api = new(platform);

    [Fact]
    public async Task OidcClient_SignInWithPkceOnHostedPages_Refresh_UserInfo_Logout()
    {
        var project = await _api.CreateProjectAsync("oidcclient");
        var port = LoopbackHttp.FreePort();
        string redirectUri = $"http://127.0.0.1:{port}/callback", postLogoutRedirectUri = $"http://127.0.0.1:{port}/signed-out";
        var (status, registered) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json($$"""
            {"client_name":"Native app","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{redirectUri}}"],"post_logout_redirect_uris":["{{postLogoutRedirectUri}}"],
             "scope":"openid offline_access","token_endpoint_auth_method":"none"}
            """));
        Assert.Equal(HttpStatusCode.Created, status);
        var clientId = registered!["client_id"]!.GetValue<string>();

        var email = $"oidc-{Guid.NewGuid():N}@example.com";
        using var browserHttp = platform.CreateClient();
        var browser = new HostedPagesBrowser(browserHttp, email, Password);
        var options = new OidcClientOptions
        {
            Authority = project.Issuer,
            ClientId = clientId,
            RedirectUri = redirectUri,
            PostLogoutRedirectUri = postLogoutRedirectUri,
            Scope = "openid offline_access",
            Browser = browser,
            HttpClientFactory = _ => platform.CreateClient(),
        };
        // Dev mode only: the platform runs on http://<slug>.projects.localhost, which the library's loopback
        // exception (localhost, 127.0.0.1) does not cover. Every other check of the library stays at its default.
        options.Policy.Discovery.RequireHttps = false;
        var oidc = new OidcClient(options);

        var login = await oidc.LoginAsync(new LoginRequest());

        Assert.False(login.IsError, login.Error + " " + login.ErrorDescription);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/ui/registration");
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/ui/consent");
        Assert.StartsWith("lk_at_", login.AccessToken);
        Assert.StartsWith("lk_rt_", login.RefreshToken);
        // The library (since v6) leaves code-flow ID tokens unverified by default; a relying party's full check on top.
        var idToken = await Oidc.ValidIdTokenAsync(_api.Http, project.Issuer, clientId, login.IdentityToken);
        var subject = login.User.FindFirst("sub")!.Value;
        Assert.Equal(idToken.Subject, subject);
        Assert.Equal(email, login.User.FindFirst("email")?.Value); // LoadProfile: from /userinfo too

        var userInfo = await oidc.GetUserInfoAsync(login.AccessToken);
        Assert.False(userInfo.IsError, userInfo.Error);
        Assert.Equal(subject, userInfo.Claims.Single(c => c.Type == "sub").Value);
        Assert.Equal(email, userInfo.Claims.Single(c => c.Type == "email").Value);

        var refreshed = await oidc.RefreshTokenAsync(login.RefreshToken);
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        Assert.NotEqual(login.AccessToken, refreshed.AccessToken);
        Assert.NotEqual(login.RefreshToken, refreshed.RefreshToken);
        Assert.Equal(subject, (await Oidc.ValidIdTokenAsync(_api.Http, project.Issuer, clientId, refreshed.IdentityToken)).Subject);
        Assert.False((await oidc.GetUserInfoAsync(refreshed.AccessToken)).IsError);

        // Sign in again, remembered this time, so that the project keeps a login session for logout to end.
        browser.Remember = true;
        var remembered = await oidc.LoginAsync(new LoginRequest());
        Assert.False(remembered.IsError, remembered.Error);
        Assert.Equal(subject, remembered.User.FindFirst("sub")!.Value);
        browser.Visited.Clear();
        var skipped = await oidc.LoginAsync(new LoginRequest());
        Assert.False(skipped.IsError, skipped.Error);
        Assert.DoesNotContain(browser.Visited, u => u.AbsolutePath == "/ui/registration");

        browser.Visited.Clear();
        var logout = await oidc.LogoutAsync(new LogoutRequest { IdTokenHint = skipped.IdentityToken });
        Assert.False(logout.IsError, logout.Error);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/ui/logout");
        Assert.StartsWith(postLogoutRedirectUri, logout.Response);

        // The login session ended: the next sign-in asks for the password again.
        browser.Visited.Clear();
        browser.Remember = false;
        var again = await oidc.LoginAsync(new LoginRequest { FrontChannelExtraParameters = new() { { "prompt", "none" } } });
        Assert.Equal("login_required", again.Error);
    }

    [Fact]
    public async Task OidcClient_ConfidentialClient_SignsInAndRefreshes()
    {
        var project = await _api.CreateProjectAsync("oidcclient-confidential");
        var redirectUri = $"http://127.0.0.1:{LoopbackHttp.FreePort()}/callback";
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"Web app","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{redirectUri}}"],"scope":"openid offline_access","token_endpoint_auth_method":"client_secret_post"}
            """);
        using var browserHttp = platform.CreateClient();
        var options = new OidcClientOptions
        {
            Authority = project.Issuer,
            ClientId = client.Id,
            ClientSecret = client.Secret,
            RedirectUri = redirectUri,
            Scope = "openid offline_access",
            Browser = new HostedPagesBrowser(browserHttp, $"web-{Guid.NewGuid():N}@example.com", Password),
            HttpClientFactory = _ => platform.CreateClient(),
        };
        options.Policy.Discovery.RequireHttps = false; // dev mode on http://<slug>.projects.localhost, as above
        var oidc = new OidcClient(options);

        var login = await oidc.LoginAsync(new LoginRequest());
        Assert.False(login.IsError, login.Error + " " + login.ErrorDescription);
        await Oidc.ValidIdTokenAsync(_api.Http, project.Issuer, client.Id, login.IdentityToken);
        var refreshed = await oidc.RefreshTokenAsync(login.RefreshToken);
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        var introspected = await _api.IntrospectAsync(project, refreshed.AccessToken);
        Assert.True(introspected["active"]!.GetValue<bool>());
        Assert.Equal(client.Id, introspected["client_id"]!.GetValue<string>());
    }
}
