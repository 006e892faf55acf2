using System.Collections.Specialized;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Discovery advertises only what works: every value of every list is exercised against the server here, and a
/// field this test does not know fails it, so that a new field is audited before it is advertised.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class DiscoveryTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    readonly Api _api = new(platform);

    /// <summary>Every field a project's discovery may have, each checked below or a fixed <c>false</c> of a feature not offered.</summary>
    static readonly HashSet<string> Audited =
    [
        "issuer", "authorization_endpoint", "token_endpoint", "end_session_endpoint", "revocation_endpoint", "userinfo_endpoint", "jwks_uri",
        "grant_types_supported", "response_types_supported", "response_modes_supported", "scopes_supported", "claims_supported",
        "id_token_signing_alg_values_supported", "code_challenge_methods_supported", "subject_types_supported", "prompt_values_supported",
        "token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported", "authorization_response_iss_parameter_supported",
        "require_pushed_authorization_requests", "tls_client_certificate_bound_access_tokens", "claims_parameter_supported",
        "request_parameter_supported", "request_uri_parameter_supported", "device_authorization_endpoint",
        "backchannel_logout_supported", "backchannel_logout_session_supported", "frontchannel_logout_supported", "frontchannel_logout_session_supported",
        "device_authorization_endpoint_auth_methods_supported",
        // Only when the project enables dynamic client registration: DynamicClientRegistrationTests.
        "registration_endpoint",
        // Hydra's verifiable credentials (draft 00): VerifiableCredentialsTests issues a credential with every suite listed.
        "credentials_endpoint_draft_00", "credentials_supported_draft_00",
    ];

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex FormPostInput();

    static string[] Strings(JsonNode discovery, string field) => [.. discovery[field]!.AsArray().Select(v => v!.GetValue<string>())];

    async Task<JsonNode> DiscoveryAsync(TestProject project)
    {
        var openid = await _api.Http.GetStringAsync(project.Issuer + "/.well-known/openid-configuration");
        var oauth = await _api.Http.GetStringAsync(project.Issuer + "/.well-known/oauth-authorization-server");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(openid), JsonNode.Parse(oauth)), "both discovery documents say the same");
        return JsonNode.Parse(openid)!;
    }

    async Task<(string Id, string? Secret)> RegisterAsync(TestProject project, string body)
    {
        var (status, json) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(body));
        Assert.True(status == HttpStatusCode.Created, $"registering {body} answered {(int)status}: {json}");
        return (json!["client_id"]!.GetValue<string>(), json["client_secret"]?.GetValue<string>());
    }

    static async Task<NameValueCollection> ResponseParametersAsync(HttpResponseMessage response, string mode)
    {
        if (mode == "form_post")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var fields = new NameValueCollection();
            foreach (Match m in FormPostInput().Matches(await response.Content.ReadAsStringAsync()))
                fields.Add(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value));
            return fields;
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(RedirectUri, location.ToString());
        return System.Web.HttpUtility.ParseQueryString(mode == "fragment" ? location.Fragment.TrimStart('#') : location.Query);
    }

    [Fact]
    public async Task Discovery_EveryAdvertisedValue_IsAcceptedByTheServer()
    {
        var app = await ExternalLoginApp.CreateAsync(platform, _api, "discovery");
        var project = app.Project;
        var discovery = await DiscoveryAsync(project);
        var unknown = discovery.AsObject().Select(p => p.Key).Where(k => !Audited.Contains(k)).ToList();
        Assert.True(unknown.Count == 0, "audit these discovery fields and extend this test: " + string.Join(", ", unknown));
        Assert.Equal(project.Issuer, discovery["issuer"]!.GetValue<string>());
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "end_session_endpoint", "revocation_endpoint", "userinfo_endpoint", "jwks_uri", "device_authorization_endpoint" })
            Assert.StartsWith(project.Issuer + "/", discovery[endpoint]!.GetValue<string>());
        foreach (var flag in new[] { "require_pushed_authorization_requests", "tls_client_certificate_bound_access_tokens", "claims_parameter_supported", "request_parameter_supported", "request_uri_parameter_supported" })
            Assert.False(discovery[flag]!.GetValue<bool>(), flag + " is a feature not offered");
        Assert.True(discovery["authorization_response_iss_parameter_supported"]!.GetValue<bool>()); // IssuerTests proves it
        foreach (var logout in new[] { "backchannel_logout_supported", "backchannel_logout_session_supported", "frontchannel_logout_supported", "frontchannel_logout_session_supported" })
            Assert.True(discovery[logout]!.GetValue<bool>(), logout + ": HostedLoginTests.Logout_* prove it");
        Assert.Equal(["public"], Strings(discovery, "subject_types_supported"));

        var exercised = new Dictionary<string, HashSet<string>>
        {
            ["grant_types_supported"] = [],
            ["response_types_supported"] = [],
            ["response_modes_supported"] = [],
            ["code_challenge_methods_supported"] = [],
            ["token_endpoint_auth_methods_supported"] = [],
            ["revocation_endpoint_auth_methods_supported"] = [],
            ["device_authorization_endpoint_auth_methods_supported"] = [],
            ["token_endpoint_auth_signing_alg_values_supported"] = [],
            ["prompt_values_supported"] = [],
            ["scopes_supported"] = [],
            ["id_token_signing_alg_values_supported"] = [],
        };

        // Confidential clients: client_credentials with each secret-based method, and revocation with it.
        using var clientKey = new AssertionKey();
        foreach (var method in Strings(discovery, "token_endpoint_auth_methods_supported").Where(m => m != "none"))
        {
            var (id, secret) = await RegisterAsync(project, method == "private_key_jwt"
                ? $$"""{"grant_types":["client_credentials"],"scope":"read","token_endpoint_auth_method":"{{method}}","jwks":{{clientKey.PublicJwks.ToJsonString()}}}"""
                : $$"""{"grant_types":["client_credentials"],"scope":"read","token_endpoint_auth_method":"{{method}}"}""");
            var style = method switch
            {
                "client_secret_basic" => ClientCredentialStyle.AuthorizationHeader,
                "client_secret_post" or "private_key_jwt" => ClientCredentialStyle.PostBody,
                _ => throw new Xunit.Sdk.XunitException($"discovery advertises token_endpoint_auth_method '{method}', which this test cannot exercise"),
            };
            ClientAssertion Assertion() => method == "private_key_jwt"
                ? new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = clientKey.Sign(AssertionKey.Claims(id, id, discovery["token_endpoint"]!.GetValue<string>())) }
                : new ClientAssertion();
            var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = discovery["token_endpoint"]!.GetValue<string>(),
                ClientId = id,
                ClientSecret = secret ?? "",
                ClientAssertion = Assertion(),
                Scope = "read",
                ClientCredentialStyle = style,
            });
            Assert.False(token.IsError, $"{method}: {token.Error} {token.ErrorDescription}");
            exercised["token_endpoint_auth_methods_supported"].Add(method);
            exercised["grant_types_supported"].Add("client_credentials");

            var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
            {
                Address = discovery["revocation_endpoint"]!.GetValue<string>(),
                ClientId = id,
                ClientSecret = secret ?? "",
                ClientAssertion = Assertion(),
                Token = token.AccessToken!,
                ClientCredentialStyle = style,
            });
            Assert.False(revoked.IsError, $"{method}: {revoked.Error}");
            Assert.False((await _api.IntrospectAsync(project, token.AccessToken!))["active"]!.GetValue<bool>());
            exercised["revocation_endpoint_auth_methods_supported"].Add(method);
        }

        // Every advertised client-assertion algorithm is accepted for private_key_jwt.
        foreach (var alg in Strings(discovery, "token_endpoint_auth_signing_alg_values_supported"))
        {
            using var key = new AssertionKey(alg);
            var (id, _) = await RegisterAsync(project, $$"""
                {"grant_types":["client_credentials"],"scope":"read","token_endpoint_auth_method":"private_key_jwt",
                 "token_endpoint_auth_signing_alg":"{{alg}}","jwks":{{key.PublicJwks.ToJsonString()}}}
                """);
            var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = discovery["token_endpoint"]!.GetValue<string>(),
                ClientId = id,
                ClientAssertion = new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = key.Sign(AssertionKey.Claims(id, id, project.Issuer)) },
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
                Scope = "read",
            });
            Assert.False(token.IsError, $"{alg}: {token.Error} {token.ErrorDescription}");
            exercised["token_endpoint_auth_signing_alg_values_supported"].Add(alg);
        }

        // The jwt-bearer grant, with a trusted issuer's assertion.
        using (var idp = new AssertionKey())
        {
            var (grantClient, grantSecret) = await RegisterAsync(project, """{"grant_types":["urn:ietf:params:oauth:grant-type:jwt-bearer"],"scope":"read"}""");
            var trust = new JsonObject
            {
                ["issuer"] = "https://idp.example",
                ["subject"] = "alice",
                ["scope"] = new JsonArray("read"),
                ["jwk"] = idp.PublicJwk,
                ["expires_at"] = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            };
            var (trusted, _) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers"), project.ApiKey, Api.Json(trust.ToJsonString()));
            Assert.Equal(HttpStatusCode.Created, trusted);
            var exchanged = await _api.Http.RequestTokenAsync(new TokenRequest
            {
                Address = discovery["token_endpoint"]!.GetValue<string>(),
                GrantType = OidcConstants.GrantTypes.JwtBearer,
                ClientId = grantClient,
                ClientSecret = grantSecret,
                Parameters = { { OidcConstants.TokenRequest.Assertion, idp.Sign(AssertionKey.Claims("https://idp.example", "alice", discovery["token_endpoint"]!.GetValue<string>())) } },
            });
            Assert.False(exchanged.IsError, exchanged.Error + " " + exchanged.ErrorDescription);
            exercised["grant_types_supported"].Add(OidcConstants.GrantTypes.JwtBearer);
        }

        // A public client (method none): the code flow in every response mode with every PKCE method, then refresh and revoke.
        var (publicId, _) = await RegisterAsync(project, $$"""
            {"grant_types":["authorization_code","refresh_token"],"response_types":["code"],"redirect_uris":["{{RedirectUri}}"],
             "scope":"openid offline_access","token_endpoint_auth_method":"none"}
            """);
        Assert.Equal(["code"], Strings(discovery, "response_types_supported"));
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await _api.Http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()));
        TokenResponse? tokens = null;
        foreach (var mode in Strings(discovery, "response_modes_supported"))
        {
            var (verifier, challenge) = Pkce.New();
            using var browser = platform.CreateClient();
            var url = new RequestUrl(discovery["authorization_endpoint"]!.GetValue<string>()).CreateAuthorizeUrl(
                clientId: publicId, responseType: "code", scope: "openid offline_access", redirectUri: RedirectUri, state: "s", nonce: "n",
                responseMode: mode, codeChallenge: challenge, codeChallengeMethod: "S256");
            using var response = await app.AuthorizeAsync(browser, url);
            var code = (await ResponseParametersAsync(response, mode))["code"];
            Assert.True(code is not null, $"response_mode {mode} delivered no code");
            tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
            {
                Address = discovery["token_endpoint"]!.GetValue<string>(),
                ClientId = publicId,
                Code = code,
                RedirectUri = RedirectUri,
                CodeVerifier = verifier,
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
            });
            Assert.False(tokens.IsError, $"{mode}: {tokens.Error} {tokens.ErrorDescription}");
            Assert.NotNull(tokens.IdentityToken);
            Assert.NotNull(tokens.RefreshToken);
            exercised["response_modes_supported"].Add(mode);
        }
        exercised["grant_types_supported"].Add("authorization_code");
        exercised["response_types_supported"].Add("code");
        exercised["code_challenge_methods_supported"].Add("S256");
        exercised["token_endpoint_auth_methods_supported"].Add("none");
        exercised["scopes_supported"].UnionWith(["openid", "offline_access"]);

        // The ID token: signed with an advertised algorithm by a published key; every claim in it is advertised.
        var idToken = new JsonWebToken(tokens!.IdentityToken);
        Assert.Contains(idToken.Alg, Strings(discovery, "id_token_signing_alg_values_supported"));
        Assert.Contains(jwks.Keys, k => k.Kid == idToken.Kid && k.Alg == idToken.Alg);
        foreach (var alg in Strings(discovery, "id_token_signing_alg_values_supported"))
        {
            Assert.Contains(jwks.Keys, k => k.Alg == alg && k.Use == "sig");
            exercised["id_token_signing_alg_values_supported"].Add(alg);
        }
        var claimsSupported = Strings(discovery, "claims_supported");
        var issued = idToken.Claims.Select(c => c.Type).Where(t => t != "email").ToHashSet(); // email came from this consent app's session
        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, discovery["userinfo_endpoint"]!.GetValue<string>());
        userInfoRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var userInfo = await _api.Http.SendAsync(userInfoRequest);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        issued.UnionWith(JsonNode.Parse(await userInfo.Content.ReadAsStringAsync())!.AsObject().Select(p => p.Key).Where(k => k != "email"));
        // OpenIddict's oi_ claims (token and authorization ids) are private: how it finds a token's entry again.
        issued.RemoveWhere(c => c.StartsWith("oi_", StringComparison.Ordinal));
        Assert.Empty(issued.Except(claimsSupported));
        // Only acr depends on the login app (it sets one or not); everything else advertised was in these answers.
        Assert.Empty(claimsSupported.Except(issued).Except(["acr"]));
        Assert.DoesNotContain("email", claimsSupported); // a project with its own consent app: only that app knows

        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = discovery["token_endpoint"]!.GetValue<string>(),
            ClientId = publicId,
            RefreshToken = tokens.RefreshToken!,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        exercised["grant_types_supported"].Add("refresh_token");
        var publicRevoke = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = discovery["revocation_endpoint"]!.GetValue<string>(),
            ClientId = publicId,
            Token = refreshed.RefreshToken!,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        });
        Assert.False(publicRevoke.IsError, publicRevoke.Error);
        Assert.False((await _api.IntrospectAsync(project, refreshed.RefreshToken!))["active"]!.GetValue<bool>());
        exercised["revocation_endpoint_auth_methods_supported"].Add("none");

        // Every prompt value is accepted: none answers login_required without a session, the others go to the login app.
        foreach (var prompt in Strings(discovery, "prompt_values_supported"))
        {
            using var browser = platform.CreateClient();
            var url = new RequestUrl(discovery["authorization_endpoint"]!.GetValue<string>()).CreateAuthorizeUrl(
                clientId: publicId, responseType: "code", scope: "openid", redirectUri: RedirectUri, state: "s", prompt: prompt,
                codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256");
            using var response = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!.ToString();
            if (prompt == "none") Assert.Equal("login_required", System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query)["error"]);
            else Assert.StartsWith(ExternalLoginApp.LoginApp + "?login_challenge=", location);
            exercised["prompt_values_supported"].Add(prompt);
        }

        // The device grant, with each advertised client authentication: codes from the advertised endpoint, and the
        // token endpoint knows them (DeviceFlowTests goes on).
        foreach (var method in Strings(discovery, "device_authorization_endpoint_auth_methods_supported"))
        {
            var deviceJwks = method == "private_key_jwt" ? $$""","jwks":{{clientKey.PublicJwks.ToJsonString()}}""" : "";
            var (deviceId, deviceSecret) = await RegisterAsync(project,
                $$"""{"grant_types":["{{DeviceFlowTests.DeviceGrant}}"],"scope":"openid","token_endpoint_auth_method":"{{method}}"{{deviceJwks}}}""");
            var style = method == "client_secret_basic" ? ClientCredentialStyle.AuthorizationHeader : ClientCredentialStyle.PostBody;
            ClientAssertion DeviceAssertion() => method == "private_key_jwt"
                ? new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = clientKey.Sign(AssertionKey.Claims(deviceId, deviceId, discovery["issuer"]!.GetValue<string>())) }
                : new ClientAssertion();
            var device = await _api.Http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
            {
                Address = discovery["device_authorization_endpoint"]!.GetValue<string>(),
                ClientId = deviceId,
                ClientSecret = deviceSecret ?? "",
                ClientAssertion = DeviceAssertion(),
                Scope = "openid",
                ClientCredentialStyle = style,
            });
            Assert.False(device.IsError, $"{method}: {device.Error}");
            var pending = await _api.Http.RequestDeviceTokenAsync(new DeviceTokenRequest
            {
                Address = discovery["token_endpoint"]!.GetValue<string>(),
                ClientId = deviceId,
                ClientSecret = deviceSecret ?? "",
                ClientAssertion = DeviceAssertion(),
                DeviceCode = device.DeviceCode!,
                ClientCredentialStyle = style,
            });
            Assert.Equal("authorization_pending", pending.Error);
            exercised["device_authorization_endpoint_auth_methods_supported"].Add(method);
        }
        exercised["grant_types_supported"].Add(DeviceFlowTests.DeviceGrant);

        using (var browser = platform.CreateClient())
        using (var logout = await browser.GetAsync(discovery["end_session_endpoint"]!.GetValue<string>()))
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        foreach (var (field, values) in exercised)
            Assert.True(values.SetEquals(Strings(discovery, field)), $"{field}: advertised [{string.Join(", ", Strings(discovery, field))}], exercised [{string.Join(", ", values)}]");
    }

    /// <summary>
    /// client_secret_jwt signs with the plain client secret, which is stored only as a hash: like Hydra, Latchkey
    /// cannot verify it, so it is neither advertised nor registrable.
    /// </summary>
    [Fact]
    public async Task Discovery_DoesNotOfferClientSecretJwt_AndRegistrationRefusesIt()
    {
        var project = await _api.CreateProjectAsync("discovery-csjwt");
        var discovery = await DiscoveryAsync(project);
        Assert.DoesNotContain("client_secret_jwt", Strings(discovery, "token_endpoint_auth_methods_supported"));
        Assert.DoesNotContain("client_secret_jwt", Strings(discovery, "revocation_endpoint_auth_methods_supported"));
        Assert.Contains("private_key_jwt", Strings(discovery, "token_endpoint_auth_methods_supported"));

        var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json("""{"grant_types":["client_credentials"],"token_endpoint_auth_method":"client_secret_jwt"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("LK1602", id);
        Assert.Contains("hash", Api.AssertOAuth2Error(body, "invalid_client_metadata"));
    }

    [Fact]
    public async Task Discovery_HostedPagesProject_AdvertisesTheEmailClaimTheyIssue()
    {
        var project = await _api.CreateProjectAsync("discovery-hosted");
        Assert.Contains("email", Strings(await DiscoveryAsync(project), "claims_supported"));
    }
}
