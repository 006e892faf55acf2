using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Hydra's OpenID Connect UserInfo Verifiable Credentials (draft 00) through the gateway: a token granted
/// <c>openid userinfo_credential_draft_00</c> comes with a <c>c_nonce_draft_00</c>; a JWT proof signed with a key in
/// its <c>jwk</c> header and carrying that nonce gets a JWT VC from <c>POST /credentials</c>, signed by the project.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class VerifiableCredentialsTests(PlatformFixture platform)
{
    const string RedirectUri = "http://127.0.0.1:5555/callback";
    const string Scope = "openid offline_access userinfo_credential_draft_00";
    static readonly string[] Types = ["VerifiableCredential", "UserInfoCredential"];
    readonly Api _api = new(platform);

    sealed record Session(ExternalLoginApp App, TestClient Client, TokenResponse Tokens)
    {
        public TestProject Project => App.Project;
        public string AccessToken => Tokens.AccessToken!;
        public string? Nonce => Tokens.Json?.TryGetProperty("c_nonce_draft_00", out var nonce) == true ? nonce.GetString() : null;
    }

    async Task<ExternalLoginApp> AppAsync(string name, string? configKey = null, string? value = null)
    {
        var app = await ExternalLoginApp.CreateAsync(platform, _api, name);
        if (configKey is not null)
        {
            var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{app.Project.Id}"), platform.WorkspaceKey, Api.Json(
                $$"""[{"op":"replace","path":"/services/oauth2/config/{{configKey}}","value":"{{value}}"}]"""));
            Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        }
        return app;
    }

    async Task<Session> SignInAsync(ExternalLoginApp app, string[] grantScope)
    {
        var client = await _api.CreateClientAsync(app.Project, $$"""
            {"client_name":"wallet","grant_types":["authorization_code","refresh_token"],"response_types":["code"],
             "redirect_uris":["{{RedirectUri}}"],"scope":"{{Scope}}"}
            """);
        var (verifier, challenge) = Pkce.New();
        using var browser = platform.CreateClient();
        using var callback = await app.AuthorizeAsync(browser, new RequestUrl(app.Project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(
            clientId: client.Id, responseType: "code", scope: Scope, redirectUri: RedirectUri, state: "state-123456",
            codeChallenge: challenge, codeChallengeMethod: "S256"), grantScope: grantScope);
        var code = System.Web.HttpUtility.ParseQueryString(callback.Headers.Location!.Query)["code"]!;
        var tokens = await _api.Http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = app.Project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Code = code,
            RedirectUri = RedirectUri,
            CodeVerifier = verifier,
        });
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        return new Session(app, client, tokens);
    }

    async Task<Session> SignInAsync(string name) =>
        await SignInAsync(await AppAsync(name), ["openid", "offline_access", "userinfo_credential_draft_00"]);

    static Dictionary<string, object> ProofClaims(string? nonce)
    {
        var claims = new Dictionary<string, object> { ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["aud"] = "wallet-test" };
        if (nonce is not null) claims["nonce"] = nonce;
        return claims;
    }

    static Dictionary<string, object> JwkHeader(JsonObject jwk) =>
        new() { ["jwk"] = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object>>(jwk.ToJsonString())! };

    static string Proof(AssertionKey key, string? nonce) => key.Sign(ProofClaims(nonce), JwkHeader(key.PublicJwk));

    static JsonContent Body(string? jwt, string format = "jwt_vc_json", string proofType = "jwt") => JsonContent.Create(new
    {
        format,
        types = Types,
        proof = jwt is null ? null : new { proof_type = proofType, jwt },
    });

    Task<(HttpStatusCode Status, JsonNode? Body, string? ErrorId)> CredentialAsync(TestProject project, string? bearer, HttpContent body) =>
        _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/credentials"), bearer, body);

    /// <summary>A request without a proof: Hydra's priming answer, whose c_nonce the next proof carries.</summary>
    async Task<string> PrimeAsync(Session s)
    {
        var (status, body, id) = await CredentialAsync(s.Project, s.AccessToken, Body(jwt: null));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("LK4713", id);
        Assert.Equal("missing_proof", body!["error"]!.GetValue<string>());
        Assert.Equal("jwt_vc", body["format"]!.GetValue<string>());
        Assert.Equal(3600, body["c_nonce_expires_in"]!.GetValue<long>());
        return body["c_nonce"]!.GetValue<string>();
    }

    async Task<JsonObject> DiscoveryAsync(TestProject project) =>
        JsonNode.Parse(await _api.Http.GetStringAsync(project.Issuer + "/.well-known/openid-configuration"))!.AsObject();

    [Fact]
    public async Task Credential_WithEveryAdvertisedSuite_IsAJwtVcSignedByTheProject_BindingTheUserToTheProofKey()
    {
        var s = await SignInAsync("vc-issue");
        Assert.NotNull(s.Nonce);
        Assert.Equal(3600, s.Tokens.Json!.Value.GetProperty("c_nonce_expires_in_draft_00").GetInt64());

        var discovery = await DiscoveryAsync(s.Project);
        Assert.Equal(s.Project.Issuer + "/credentials", discovery["credentials_endpoint_draft_00"]!.GetValue<string>());
        var supported = Assert.Single(discovery["credentials_supported_draft_00"]!.AsArray())!;
        Assert.Equal("jwt_vc_json", supported["format"]!.GetValue<string>());
        Assert.Equal(["VerifiableCredential", "UserInfoCredential"], supported["types"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(["jwk"], supported["cryptographic_binding_methods_supported"]!.AsArray().Select(t => t!.GetValue<string>()));
        var suites = supported["cryptographic_suites_supported"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Contains("ES256", suites);

        var jwks = new JsonWebKeySet(await _api.Http.GetStringAsync(s.Project.Issuer + "/.well-known/jwks.json"));
        var nonce = s.Nonce!;
        foreach (var suite in suites)
        {
            using var key = new AssertionKey(suite);
            var (status, body, _) = await CredentialAsync(s.Project, s.AccessToken, Body(Proof(key, nonce)));
            Assert.True(status == HttpStatusCode.OK, $"{suite}: {(int)status} {body?.ToJsonString()}");
            Assert.Equal("jwt_vc_json", body!["format"]!.GetValue<string>());

            var validation = await new JsonWebTokenHandler().ValidateTokenAsync(body["credential_draft_00"]!.GetValue<string>(), new TokenValidationParameters
            {
                IssuerSigningKeys = jwks.GetSigningKeys(),
                ValidIssuer = s.Project.Issuer,
                ValidateAudience = false,
            });
            Assert.True(validation.IsValid, validation.Exception?.Message);
            var vc = (JsonWebToken)validation.SecurityToken;
            var did = vc.Subject;
            Assert.StartsWith("did:jwk:", did);
            var bound = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(did.AsSpan("did:jwk:".Length))))!;
            Assert.Equal(key.PublicJwk[key.PublicJwk.ContainsKey("x") ? "x" : "n"]!.GetValue<string>(), bound[key.PublicJwk.ContainsKey("x") ? "x" : "n"]!.GetValue<string>());
            var claim = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(vc.EncodedPayload)))!["vc"]!;
            Assert.Equal(["VerifiableCredential", "UserInfoCredential"], claim["type"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal("https://www.w3.org/2018/credentials/v1", claim["@context"]![0]!.GetValue<string>());
            var subject = claim["credentialSubject"]!;
            Assert.Equal(did, subject["id"]!.GetValue<string>());
            Assert.Equal("user-1", subject["sub"]!.GetValue<string>());
            Assert.Equal("user-1@example.com", subject["email"]!.GetValue<string>());

            // Each nonce proves one request: the same proof again is refused, the priming answer gives the next nonce.
            var (again, _, againId) = await CredentialAsync(s.Project, s.AccessToken, Body(Proof(key, nonce)));
            Assert.Equal(HttpStatusCode.BadRequest, again);
            Assert.Equal("LK4712", againId);
            nonce = await PrimeAsync(s);
        }

        // Every grant that issues an access token with both scopes brings a nonce, the refresh grant too.
        var refreshed = await _api.Http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = s.Project.Issuer + "/oauth2/token",
            ClientId = s.Client.Id,
            ClientSecret = s.Client.Secret,
            RefreshToken = s.Tokens.RefreshToken!,
        });
        Assert.False(refreshed.IsError, refreshed.Error);
        Assert.NotNull(refreshed.Json!.Value.GetProperty("c_nonce_draft_00").GetString());
    }

    [Fact]
    public async Task Credential_BadRequests_AnswerHydrasErrors_InTheOAuth2Shape()
    {
        var s = await SignInAsync("vc-errors");
        using var key = new AssertionKey();
        using var other = new AssertionKey();
        var nonce = s.Nonce!;

        async Task Refused(string? bearer, HttpContent body, HttpStatusCode status, string error, string id)
        {
            var (answered, json, errorId) = await CredentialAsync(s.Project, bearer, body);
            Assert.True(answered == status && errorId == id, $"expected {(int)status} {id}, got {(int)answered} {errorId}: {json?.ToJsonString()}");
            Api.AssertOAuth2Error(json, error);
        }

        await Refused(null, Body(Proof(key, nonce)), HttpStatusCode.Unauthorized, "invalid_request", "LK4700");
        await Refused("lk_at_not-a-token.at-all", Body(Proof(key, nonce)), HttpStatusCode.Unauthorized, "invalid_token", "LK4701");
        await Refused(s.Tokens.RefreshToken, Body(Proof(key, nonce)), HttpStatusCode.Unauthorized, "invalid_token", "LK4701");
        await Refused(s.AccessToken, new StringContent("{not json", Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest, "invalid_request", "LK4703");
        await Refused(s.AccessToken, Body(Proof(key, nonce), format: "ldp_vc"), HttpStatusCode.BadRequest, "invalid_request", "LK4704");
        await Refused(s.AccessToken, Body(Proof(key, nonce), proofType: "cwt"), HttpStatusCode.BadRequest, "invalid_request", "LK4705");
        await Refused(s.AccessToken, Body("not-a-jwt"), HttpStatusCode.BadRequest, "invalid_request", "LK4706");
        await Refused(s.AccessToken, Body(key.Sign(ProofClaims(nonce))), HttpStatusCode.BadRequest, "invalid_request", "LK4707");
        var symmetric = new JsonObject { ["kty"] = "oct", ["k"] = Base64Url.EncodeToString(new byte[32]) };
        await Refused(s.AccessToken, Body(key.Sign(ProofClaims(nonce), JwkHeader(symmetric))), HttpStatusCode.BadRequest, "invalid_request", "LK4707");
        var withPrivate = key.PublicJwk;
        withPrivate["d"] = Base64Url.EncodeToString(new byte[32]);
        await Refused(s.AccessToken, Body(key.Sign(ProofClaims(nonce), JwkHeader(withPrivate))), HttpStatusCode.BadRequest, "invalid_request", "LK4707");
        // Signed by one key, naming another in its header: the holder of the named key did not sign it.
        await Refused(s.AccessToken, Body(key.Sign(ProofClaims(nonce), JwkHeader(other.PublicJwk))), HttpStatusCode.BadRequest, "invalid_request", "LK4708");
        await Refused(s.AccessToken, Body(Proof(key, nonce: null)), HttpStatusCode.BadRequest, "invalid_request", "LK4709");
        await Refused(s.AccessToken, Body(Proof(key, nonce[..^2] + (nonce.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"))), HttpStatusCode.BadRequest, "invalid_request", "LK4710");
        await Refused(s.AccessToken, Body(Proof(key, "garbage")), HttpStatusCode.BadRequest, "invalid_request", "LK4710");

        // A nonce is for the access token it came with: another token of the same user and client cannot use it.
        var second = await SignInAsync(s.App, ["openid", "userinfo_credential_draft_00"]);
        await Refused(second.AccessToken, Body(Proof(key, nonce)), HttpStatusCode.BadRequest, "invalid_request", "LK4710");

        // None of the refusals used the nonce up.
        var (status, body, _) = await CredentialAsync(s.Project, s.AccessToken, Body(Proof(key, nonce)));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
    }

    [Fact]
    public async Task Credential_WithoutTheDraftScope_NoNonceIsIssued_AndTheEndpointRefusesTheToken()
    {
        var app = await AppAsync("vc-scope");
        var s = await SignInAsync(app, ["openid", "offline_access"]);
        Assert.Null(s.Nonce);
        Assert.False(s.Tokens.Json!.Value.TryGetProperty("c_nonce_expires_in_draft_00", out _));

        using var key = new AssertionKey();
        var (status, body, id) = await CredentialAsync(s.Project, s.AccessToken, Body(jwt: null));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("LK4702", id);
        Api.AssertOAuth2Error(body, "insufficient_scope");
    }

    [Fact]
    public async Task Credential_TokensAndNoncesOfOneProject_AreRefusedOnAnother()
    {
        // A's access tokens are opaque, B's JWTs: neither form is accepted by the other project.
        var a = await SignInAsync("vc-iso-a");
        var b = await SignInAsync(await AppAsync("vc-iso-b", "strategies/access_token", "jwt"), ["openid", "userinfo_credential_draft_00"]);
        Assert.Equal(3, b.AccessToken.Split('.').Length);
        using var key = new AssertionKey();

        var (status, _, id) = await CredentialAsync(b.Project, a.AccessToken, Body(Proof(key, a.Nonce)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("LK4701", id);
        (status, _, id) = await CredentialAsync(a.Project, b.AccessToken, Body(Proof(key, b.Nonce)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("LK4701", id);

        (status, _, id) = await CredentialAsync(b.Project, b.AccessToken, Body(Proof(key, a.Nonce)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("LK4710", id);

        // Both still work where they belong.
        (status, _, _) = await CredentialAsync(a.Project, a.AccessToken, Body(Proof(key, a.Nonce)));
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _, _) = await CredentialAsync(b.Project, b.AccessToken, Body(Proof(key, b.Nonce)));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task TtlVcNonce_IsTheNoncesLifetime()
    {
        var s = await SignInAsync(await AppAsync("vc-ttl", "ttl/vc_nonce", "2s"), ["openid", "userinfo_credential_draft_00"]);
        Assert.Equal(2, s.Tokens.Json!.Value.GetProperty("c_nonce_expires_in_draft_00").GetInt64());

        await Task.Delay(TimeSpan.FromSeconds(3));
        using var key = new AssertionKey();
        var (status, _, id) = await CredentialAsync(s.Project, s.AccessToken, Body(Proof(key, s.Nonce)));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("LK4711", id);
    }

    [Fact]
    public async Task Version_OnAProjectHost_IsTheBuildVersion_PublicAndAdmin()
    {
        var project = await _api.CreateProjectAsync("version");
        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/version"), bearer: null);
        Assert.Equal(HttpStatusCode.OK, status);
        var version = body!["version"]!.GetValue<string>();
        Assert.False(string.IsNullOrWhiteSpace(version));

        (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/version"), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(version, body!["version"]!.GetValue<string>());

        (status, _) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/version"), bearer: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
