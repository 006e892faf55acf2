using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// OpenID Connect Back-Channel and Front-Channel Logout 1.0 (issue 12, item 7), through the hosted pages: an RP
/// with a back-channel endpoint on loopback gets a logout token it verifies with Microsoft.IdentityModel against the
/// project's JWKS, on RP-initiated logout and on the admin API's session deletion; the logout page frames the
/// front-channel URI.
/// </summary>
public sealed partial class HostedLoginTests
{
    const string FrontChannelUri = "http://127.0.0.1:5555/frontchannel";

    [System.Text.RegularExpressions.GeneratedRegex("<iframe hidden title=\"logout\" src=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex FrameSource();

    [System.Text.RegularExpressions.GeneratedRegex("<body data-next=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex NextPage();

    /// <summary>An RP's back-channel logout endpoint: every <c>logout_token</c> posted to it, in order.</summary>
    sealed class BackChannelEndpoint : IAsyncDisposable
    {
        readonly WebApplication _app;
        readonly Channel<string> _tokens = Channel.CreateUnbounded<string>();

        BackChannelEndpoint(WebApplication app) => _app = app;

        public string Uri => _app.Urls.First() + "/backchannel";

        public static async Task<BackChannelEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            BackChannelEndpoint? endpoint = null;
            app.MapPost("/backchannel", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                await endpoint!._tokens.Writer.WriteAsync(form["logout_token"].ToString());
                return Results.Ok();
            });
            endpoint = new BackChannelEndpoint(app);
            await app.StartAsync();
            return endpoint;
        }

        /// <summary>The next token; delivery is in the background, so it may come a moment after the logout answered.</summary>
        public async Task<string> NextAsync() => await _tokens.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }

    async Task<Setup> SetupWithLogoutUrisAsync(BackChannelEndpoint endpoint)
    {
        var project = await _api.CreateProjectAsync("logout-channels");
        // The RP listens on loopback: the project opts in to private address ranges (the platform's operator has).
        var (patched, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json("""
            [{"op":"replace","path":"/services/oauth2/config/clients/http/disallow_private_ip_ranges","value":false}]
            """));
        Assert.Equal(HttpStatusCode.OK, patched);
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"RP","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"post_logout_redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access",
             "backchannel_logout_uri":"{{endpoint.Uri}}","backchannel_logout_session_required":true,
             "frontchannel_logout_uri":"{{FrontChannelUri}}","frontchannel_logout_session_required":true}
            """);
        return new Setup(project, client);
    }

    /// <summary>Signs up, signs in remembered and consents; answers the browser and the validated ID token.</summary>
    async Task<JsonWebToken> SignedInAsync(HttpClient browser, Setup s, string email, bool signUp)
    {
        if (signUp) await SignUpAsync(s, email);
        var (verifier, challenge) = Pkce.New();
        using var signedIn = await SignInAsync(browser, s, email, Password, challenge, remember: true);
        return await ExchangeAsync(s, await AllowAndGetCodeAsync(browser, await FollowToConsentAsync(browser, s, signedIn)), verifier);
    }

    async Task<JsonWebToken> ValidLogoutTokenAsync(Setup s, string token)
    {
        var jwks = new JsonWebKeySet(await _api.Http.GetStringAsync(s.Project.Issuer + "/.well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = s.Project.Issuer,
            ValidAudience = s.Client.Id,
            ValidTypes = ["logout+jwt"],
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var jwt = (JsonWebToken)validation.SecurityToken;
        // Back-Channel Logout 1.0 §2.4: the event, a jti, an iat; never a nonce.
        var events = JsonNode.Parse(jwt.GetClaim("events").Value)!.AsObject();
        Assert.Equal("{}", events["http://schemas.openid.net/event/backchannel-logout"]!.ToJsonString());
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.InRange((DateTime.UtcNow - jwt.IssuedAt).TotalSeconds, -5, 60);
        Assert.False(jwt.TryGetClaim("nonce", out _));
        return jwt;
    }

    [Fact]
    public async Task Logout_RpInitiated_PostsAVerifiableLogoutToken_AndTheLogoutPageFramesTheFrontChannelUri()
    {
        await using var endpoint = await BackChannelEndpoint.StartAsync();
        var s = await SetupWithLogoutUrisAsync(endpoint);
        using var browser = platform.CreateClient();
        var idToken = await SignedInAsync(browser, s, NewEmail(), signUp: true);
        var sid = idToken.GetClaim("sid").Value;

        var logoutUrl = $"{s.Project.Issuer}/oauth2/sessions/logout?id_token_hint={Uri.EscapeDataString(idToken.EncodedToken)}" +
            $"&post_logout_redirect_uri={Uri.EscapeDataString(RedirectUri)}&state=bye";
        using var logout = await browser.GetAsync(logoutUrl);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        using var page = await browser.GetAsync(logout.Headers.Location);
        using var confirmed = await HtmlForms.SubmitAsync(browser, HtmlForms.Parse(logout.Headers.Location!, await page.Content.ReadAsStringAsync()), ("action", "logout"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);

        // The verifier ends the session: a page that frames the front-channel URI, then goes on to the RP.
        using var ended = await browser.GetAsync(confirmed.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var html = await ended.Content.ReadAsStringAsync();
        var framed = $"{FrontChannelUri}?iss={Uri.EscapeDataString(s.Project.Issuer)}&sid={Uri.EscapeDataString(sid)}";
        Assert.Equal([framed], [.. FrameSource().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))]);
        Assert.Equal(RedirectUri + "?state=bye", WebUtility.HtmlDecode(NextPage().Match(html).Groups[1].Value));
        var csp = ended.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-src http://127.0.0.1:5555/frontchannel;", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);

        var token = await ValidLogoutTokenAsync(s, await endpoint.NextAsync());
        Assert.Equal(sid, token.GetClaim("sid").Value);
        Assert.Equal(idToken.Subject, token.Subject);
        Assert.Equal(idToken.GetHeaderValue<string>("kid"), token.Kid);
    }

    [Fact]
    public async Task Logout_AdminDeletesTheSubjectsLoginSessions_EachSessionsClientGetsALogoutToken()
    {
        await using var endpoint = await BackChannelEndpoint.StartAsync();
        var s = await SetupWithLogoutUrisAsync(endpoint);
        var email = NewEmail();
        using var first = platform.CreateClient();
        using var second = platform.CreateClient();
        var one = await SignedInAsync(first, s, email, signUp: true);
        var two = await SignedInAsync(second, s, email, signUp: false);
        Assert.NotEqual(one.GetClaim("sid").Value, two.GetClaim("sid").Value);

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(s.Project, $"/admin/oauth2/auth/sessions/login?subject={Uri.EscapeDataString(one.Subject)}"), s.Project.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted);

        var sids = new HashSet<string>();
        for (var i = 0; i < 2; i++)
        {
            var token = await ValidLogoutTokenAsync(s, await endpoint.NextAsync());
            Assert.Equal(one.Subject, token.Subject);
            sids.Add(token.GetClaim("sid").Value);
        }
        Assert.Equal(new[] { one.GetClaim("sid").Value, two.GetClaim("sid").Value }.Order(StringComparer.Ordinal), sids.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{"backchannel_logout_uri":"http://rp.example.com/logout"}""", "LK1650")]
    [InlineData("""{"backchannel_logout_uri":"com.example.app:/logout"}""", "LK1650")]
    [InlineData("""{"frontchannel_logout_uri":"javascript:alert(1)"}""", "LK1650")]
    [InlineData("""{"redirect_uris":["https://rp.example.com/cb"],"frontchannel_logout_uri":"https://other.example.com/logout"}""", "LK1651")]
    public async Task LogoutUris_Unsafe_AreRefusedLikeRedirectUris(string body, string id)
    {
        var project = await _api.CreateProjectAsync("logout-uris");
        var (status, json, errorId) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_client_metadata", json!["error"]!.GetValue<string>());
        Assert.Equal(id, errorId);
    }
}
