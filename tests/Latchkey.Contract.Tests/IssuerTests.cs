using System.Collections.Specialized;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The issuer string is exact everywhere (contract v2): RFC 9207 clients compare the authorization response's
/// <c>iss</c> with discovery's <c>issuer</c> byte for byte, and relying parties compare every token's and
/// userinfo's <c>iss</c> with it too. A trailing slash is a different issuer.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class IssuerTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(platform);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex FormPostInput();

    async Task<(ExternalLoginApp App, TestClient Client, string DiscoveryIssuer)> SetupAsync(string extraClientFields = "")
    {
        var app = await ExternalLoginApp.CreateAsync(platform, _api, "issuer");
        var client = await _api.CreateClientAsync(app.Project, $$"""
            {"client_name":"web","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"openid offline_access"{{extraClientFields}}}
            """);
        var discovery = JsonNode.Parse(await _api.Http.GetStringAsync(app.Project.Issuer + "/.well-known/openid-configuration"))!;
        var issuer = discovery["issuer"]!.GetValue<string>();
        Assert.Equal(app.Project.Issuer, issuer);
        Assert.True(discovery["authorization_response_iss_parameter_supported"]!.GetValue<bool>());
        return (app, client, issuer);
    }

    static string AuthorizeUrl(string issuer, string clientId, string responseMode, string? prompt = null) =>
        new RequestUrl(issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: clientId, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", responseMode: responseMode, prompt: prompt,
            codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256");

    /// <summary>The parameters of an authorization response, wherever its mode puts them.</summary>
    static async Task<NameValueCollection> ResponseParametersAsync(HttpResponseMessage response, string mode)
    {
        if (mode == "form_post")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"action=\"{RedirectUri}\"", html);
            var fields = new NameValueCollection();
            foreach (Match m in FormPostInput().Matches(html)) fields.Add(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value));
            return fields;
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString());
        return System.Web.HttpUtility.ParseQueryString(mode == "fragment" ? location.Fragment.TrimStart('#') : location.Query);
    }

    [Theory]
    [InlineData("query", "success")]
    [InlineData("fragment", "success")]
    [InlineData("form_post", "success")]
    [InlineData("query", "consent_rejected")]
    [InlineData("fragment", "consent_rejected")]
    [InlineData("form_post", "consent_rejected")]
    [InlineData("query", "login_required")]
    [InlineData("fragment", "login_required")]
    [InlineData("form_post", "login_required")]
    public async Task AuthorizationResponse_Iss_IsDiscoveryIssuerByteForByte(string mode, string outcome)
    {
        var (app, client, issuer) = await SetupAsync();
        using var browser = platform.CreateClient();

        using var response = outcome == "login_required"
            ? await browser.GetAsync(AuthorizeUrl(issuer, client.Id, mode, prompt: "none"))
            : await app.AuthorizeAsync(browser, AuthorizeUrl(issuer, client.Id, mode), allow: outcome == "success");

        var parameters = await ResponseParametersAsync(response, mode);
        Assert.Equal("state-123", parameters["state"]);
        if (outcome == "success") Assert.StartsWith("lk_ac_", parameters["code"]);
        else Assert.Equal(outcome == "login_required" ? "login_required" : "access_denied", parameters["error"]);
        Assert.Equal(issuer, parameters["iss"], StringComparer.Ordinal);
    }

    [Fact]
    public async Task Issuer_InIdTokenJwtAccessTokenUserInfoAndIntrospection_IsDiscoveryIssuer()
    {
        var (app, client, issuer) = await SetupAsync(""","access_token_strategy":"jwt" """);
        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        var url = new RequestUrl(issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri,
            state: "state-123", nonce: "nonce-456", codeChallenge: challenge, codeChallengeMethod: "S256");
        using var callback = await app.AuthorizeAsync(browser, url);
        var code = (await ResponseParametersAsync(callback, "query"))["code"]!;

        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);

        Assert.Equal(issuer, new JsonWebToken(tokens.IdentityToken).Issuer, StringComparer.Ordinal);
        Assert.Equal(issuer, new JsonWebToken(tokens.AccessToken).Issuer, StringComparer.Ordinal);

        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, issuer + "/userinfo");
        userInfoRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var userInfo = await _api.Http.SendAsync(userInfoRequest);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        var claims = JsonNode.Parse(await userInfo.Content.ReadAsStringAsync())!;
        Assert.Equal("user-1", claims["sub"]!.GetValue<string>());
        Assert.Equal(issuer, claims["iss"]?.GetValue<string>(), StringComparer.Ordinal);

        var introspected = await _api.IntrospectAsync(app.Project, tokens.AccessToken!);
        Assert.True(introspected["active"]!.GetValue<bool>());
        Assert.Equal(issuer, introspected["iss"]!.GetValue<string>(), StringComparer.Ordinal);
        var refresh = await _api.IntrospectAsync(app.Project, tokens.RefreshToken!);
        Assert.Equal(issuer, refresh["iss"]!.GetValue<string>(), StringComparer.Ordinal);
    }
}
