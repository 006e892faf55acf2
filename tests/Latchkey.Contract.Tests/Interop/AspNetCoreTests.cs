using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Xunit;

namespace Latchkey.Contract.Tests.Interop;

/// <summary>
/// A project used the way most .NET apps will: a relying-party web app with ASP.NET Core's own
/// <c>AddOpenIdConnect</c> (code flow, PKCE, form_post, tokens saved, claims from /userinfo) and an API with
/// <c>AddJwtBearer</c> whose authority is the project's issuer. Both run on loopback ports with Kestrel and reach the
/// project through their backchannel, a browser (cookies, redirects by hand) through the hosted pages.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AspNetCoreTests(PlatformFixture platform)
{
    const string Password = "correct horse battery";
    const string Audience = "https://api.example.com";
    readonly Api _api = new(platform);

    static async Task<WebApplication> StartAsync(int port, Action<IServiceCollection> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthorization();
        services(builder.Services);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        map(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>The relying party: <c>/</c> needs a signed-in user and shows its claims and saved tokens; <c>/logout</c> signs out everywhere.</summary>
    Task<WebApplication> StartRelyingPartyAsync(int port, TestProject project, TestClient client) => StartAsync(port,
        services => services
            .AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = project.Issuer;
                o.ClientId = client.Id;
                o.ClientSecret = client.Secret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("offline_access");
                o.AdditionalAuthorizationParameters["audience"] = Audience;
                o.BackchannelHttpHandler = LoopbackHttp.Handler(platform);
                // Dev mode on plain http only: metadata over http, and the correlation and nonce cookies without
                // Secure (a non-browser cookie jar does not send Secure cookies over http). Token validation is the default.
                o.RequireHttpsMetadata = false;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }),
        app =>
        {
            app.MapGet("/", async (HttpContext http) =>
            {
                if (http.User.Identity?.IsAuthenticated != true)
                {
                    await http.ChallengeAsync();
                    return;
                }
                await http.Response.WriteAsJsonAsync(new
                {
                    sub = http.User.FindFirst("sub")?.Value,
                    email = http.User.FindFirst("email")?.Value,
                    access_token = await http.GetTokenAsync("access_token"),
                    refresh_token = await http.GetTokenAsync("refresh_token"),
                    id_token = await http.GetTokenAsync("id_token"),
                });
            });
            app.MapGet("/logout", async (HttpContext http) =>
            {
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                await http.SignOutAsync(OpenIdConnectDefaults.AuthenticationScheme, new AuthenticationProperties { RedirectUri = "/signed-out" });
            });
            app.MapGet("/signed-out", () => "signed out");
        });

    /// <summary>The resource API: <c>/me</c> accepts a JWT access token of the project for <see cref="Audience"/>, nothing else.</summary>
    Task<WebApplication> StartApiAsync(int port, TestProject project) => StartAsync(port,
        services => services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = project.Issuer;
            o.Audience = Audience;
            o.MapInboundClaims = false;
            o.BackchannelHttpHandler = LoopbackHttp.Handler(platform);
            o.RequireHttpsMetadata = false; // dev mode on http://<slug>.projects.localhost; validation is the default
        }),
        app => app.MapGet("/me", (HttpContext http) => new { sub = http.User.FindFirst("sub")?.Value, client_id = http.User.FindFirst("client_id")?.Value })
            .RequireAuthorization());

    static async Task<(HttpStatusCode Status, JsonNode? Body)> CallApiAsync(int port, string token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task AddOpenIdConnect_SignsInThroughHostedPages_ItsJwtAccessTokenPassesAddJwtBearer_AndSignsOut()
    {
        var project = await _api.CreateProjectAsync("aspnet-rp");
        int rpPort = LoopbackHttp.FreePort(), apiPort = LoopbackHttp.FreePort();
        var rp = new Uri($"http://127.0.0.1:{rpPort}/");
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"ASP.NET Core app","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{rp}}signin-oidc"],"post_logout_redirect_uris":["{{rp}}signout-callback-oidc"],
             "scope":"openid offline_access","audience":["{{Audience}}"],"access_token_strategy":"jwt",
             "token_endpoint_auth_method":"client_secret_post"}
            """);
        await using var relyingParty = await StartRelyingPartyAsync(rpPort, project, client);
        await using var api = await StartApiAsync(apiPort, project);
        using var browserHttp = LoopbackHttp.Browser(platform);
        var email = $"rp-{Guid.NewGuid():N}@example.com";
        var browser = new HostedPagesBrowser(browserHttp, email, Password);

        var back = await browser.FollowAsync(rp, url => url == rp, CancellationToken.None);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/ui/registration");
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/signin-oidc");
        using var home = await browserHttp.GetAsync(back);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var signedIn = JsonNode.Parse(await home.Content.ReadAsStringAsync())!;
        var subject = signedIn["sub"]!.GetValue<string>();
        Assert.True(Guid.TryParse(subject, out _), "the hosted user's id: " + subject);
        Assert.Equal(email, signedIn["email"]?.GetValue<string>());
        Assert.StartsWith("lk_rt_", signedIn["refresh_token"]!.GetValue<string>());
        Assert.NotNull(signedIn["id_token"]?.GetValue<string>());

        var accessToken = signedIn["access_token"]!.GetValue<string>();
        var (status, me) = await CallApiAsync(apiPort, accessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(subject, me!["sub"]!.GetValue<string>());

        // No login session was kept (sign-up does not remember): the end-session endpoint sends the browser straight back.
        var signedOut = await browser.FollowAsync(new Uri(rp, "/logout"), url => url == new Uri(rp, "/signed-out"), CancellationToken.None);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/oauth2/sessions/logout");
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/signout-callback-oidc");
        Assert.Equal("/signed-out", signedOut.AbsolutePath);
        using (var after = await browserHttp.GetAsync(rp))
        {
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.StartsWith(project.Issuer + "/oauth2/auth?", after.Headers.Location!.ToString());
        }

        // Signed in again with "remember me": signing out now ends the project's login session on the hosted logout page.
        browser.Remember = true;
        browser.Visited.Clear();
        await browser.FollowAsync(rp, url => url == rp, CancellationToken.None);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/ui/login");
        browser.Visited.Clear();
        await browser.FollowAsync(new Uri(rp, "/logout"), url => url == new Uri(rp, "/signed-out"), CancellationToken.None);
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/ui/logout");
        Assert.Contains(browser.Visited, u => u.AbsolutePath == "/signout-callback-oidc");
    }

    /// <summary>As in Hydra, an authorization request may ask for an audience, but only one registered for the client.</summary>
    [Fact]
    public async Task Authorize_AudienceParameter_IsAcceptedWhenRegistered_RefusedOtherwise()
    {
        var project = await _api.CreateProjectAsync("aspnet-audience");
        const string RedirectUri = "http://127.0.0.1:5555/callback";
        var client = await _api.CreateClientAsync(project, $$"""
            {"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],"scope":"openid","audience":["{{Audience}}"]}
            """);
        string Url(string audience) => new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: "openid", redirectUri: RedirectUri, state: "s",
            codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256", extra: new Parameters { { "audience", audience } });
        using var browser = platform.CreateClient();

        using var registered = await browser.GetAsync(Url(Audience));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.StartsWith(project.Issuer + "/ui/login?login_challenge=", registered.Headers.Location!.ToString());

        using var unregistered = await browser.GetAsync(Url("https://other.example.com"));
        Assert.Equal(HttpStatusCode.Redirect, unregistered.StatusCode);
        Assert.StartsWith(RedirectUri, unregistered.Headers.Location!.ToString());
        Assert.Equal("invalid_request", System.Web.HttpUtility.ParseQueryString(unregistered.Headers.Location!.Query)["error"]);
    }

    [Fact]
    public async Task AddJwtBearer_AcceptsTheProjectsClientCredentialsJwt_AndRefusesAnotherProjects()
    {
        var project = await _api.CreateProjectAsync("aspnet-api");
        var other = await _api.CreateProjectAsync("aspnet-api-other");
        var apiPort = LoopbackHttp.FreePort();
        await using var api = await StartApiAsync(apiPort, project);

        async Task<string> JwtAsync(TestProject p)
        {
            var client = await _api.CreateClientAsync(p, $$"""
                {"client_name":"m2m","grant_types":["client_credentials"],"scope":"read","audience":["{{Audience}}"],"access_token_strategy":"jwt"}
                """);
            var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = p.Issuer + "/oauth2/token",
                ClientId = client.Id,
                ClientSecret = client.Secret,
                Scope = "read",
                Parameters = { { "audience", Audience } },
            });
            Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
            Assert.Equal(3, token.AccessToken!.Split('.').Length);
            return token.AccessToken;
        }

        var (status, me) = await CallApiAsync(apiPort, await JwtAsync(project));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(me!["client_id"]?.GetValue<string>());

        var (foreign, _) = await CallApiAsync(apiPort, await JwtAsync(other));
        Assert.Equal(HttpStatusCode.Unauthorized, foreign);
    }
}
