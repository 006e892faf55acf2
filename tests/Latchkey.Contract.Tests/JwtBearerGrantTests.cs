using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The jwt-bearer grant (RFC 7523 §2.1) on a fresh project: the trust admin API with the bodies
/// <c>@ory/hydra-client</c> sends and reads, then token requests made with Duende's <c>RequestTokenAsync</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class JwtBearerGrantTests(PlatformFixture platform) : IDisposable
{
    const string IdpIssuer = "https://idp.partner.example";
    const string Subject = "alice@partner.example";
    readonly Api _api = new(platform);
    readonly AssertionKey _idp = new();

    public void Dispose() => _idp.Dispose();

    sealed record Setup(TestProject Project, TestClient Client, string TrustId)
    {
        public string TokenEndpoint => Project.Issuer + "/oauth2/token";
    }

    async Task<(HttpStatusCode Status, JsonNode? Body, string? ErrorId)> TrustAsync(TestProject project, JsonObject body) =>
        await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers"), project.ApiKey, Api.Json(body.ToJsonString()));

    JsonObject TrustBody(string? subject = Subject, string[]? scope = null, DateTimeOffset? expiresAt = null, JsonObject? jwk = null) => new()
    {
        ["issuer"] = IdpIssuer,
        ["subject"] = subject,
        ["scope"] = new JsonArray([.. (scope ?? ["read"]).Select(s => (JsonNode)s)]),
        ["jwk"] = jwk ?? _idp.PublicJwk,
        ["expires_at"] = (expiresAt ?? DateTimeOffset.UtcNow.AddDays(1)).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>A fresh project with a client that may use the grant, and a trust in the partner's key for <see cref="Subject"/>.</summary>
    async Task<Setup> SetUpAsync(JsonObject? trust = null, string? patch = null)
    {
        var project = await _api.CreateProjectAsync("jwt-bearer");
        if (patch is not null)
        {
            var (patched, error) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json(patch));
            Assert.True(patched == HttpStatusCode.OK, error?.ToJsonString());
        }
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"exchanger","grant_types":["{{OidcConstants.GrantTypes.JwtBearer}}"],"scope":"read write"}
            """);
        var (status, body, _) = await TrustAsync(project, trust ?? TrustBody());
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        return new Setup(project, client, body!["id"]!.GetValue<string>());
    }

    Task<TokenResponse> ExchangeAsync(Setup setup, string assertion, string? scope = "read") =>
        _api.Http.RequestTokenAsync(new TokenRequest
        {
            Address = setup.TokenEndpoint,
            GrantType = OidcConstants.GrantTypes.JwtBearer,
            ClientId = setup.Client.Id,
            ClientSecret = setup.Client.Secret,
            Parameters = { { OidcConstants.TokenRequest.Assertion, assertion }, { OidcConstants.TokenRequest.Scope, scope ?? "" } },
        });

    Dictionary<string, object> Claims(Setup setup) => AssertionKey.Claims(IdpIssuer, Subject, setup.TokenEndpoint);

    [Fact]
    public async Task JwtBearer_TrustedAssertion_IssuesATokenForTheAssertionsSubject()
    {
        var setup = await SetUpAsync();

        var token = await ExchangeAsync(setup, _idp.Sign(Claims(setup)));

        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
        Assert.Equal("read", token.Scope);
        Assert.Null(token.RefreshToken);
        var introspection = await _api.IntrospectAsync(setup.Project, token.AccessToken!);
        Assert.True(introspection["active"]!.GetValue<bool>());
        Assert.Equal(Subject, introspection["sub"]!.GetValue<string>());
        Assert.Equal(setup.Client.Id, introspection["client_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task JwtBearer_AudienceIsTheIssuer_IsAccepted()
    {
        var setup = await SetUpAsync();
        var claims = Claims(setup);
        claims["aud"] = setup.Project.Issuer;

        var token = await ExchangeAsync(setup, _idp.Sign(claims));

        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
    }

    [Fact]
    public async Task JwtBearer_AnySubjectTrust_IssuesForWhicheverSubjectTheIssuerNames()
    {
        var trust = TrustBody(subject: null);
        trust["allow_any_subject"] = true;
        var setup = await SetUpAsync(trust);
        var claims = Claims(setup);
        claims["sub"] = "bob@partner.example";

        var token = await ExchangeAsync(setup, _idp.Sign(claims));

        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
        Assert.Equal("bob@partner.example", (await _api.IntrospectAsync(setup.Project, token.AccessToken!))["sub"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "wrong signature", "invalid_grant", "LK1335" },
        { "wrong audience", "invalid_grant", "LK1337" },
        { "expired", "invalid_grant", "LK1339" },
        { "exp too far", "invalid_grant", "LK1342" },
        { "not yet valid", "invalid_grant", "LK1340" },
        { "no iat", "invalid_grant", "LK1341" },
        { "no jti", "invalid_grant", "LK1343" },
        { "untrusted subject", "invalid_grant", "LK1334" },
        { "untrusted issuer", "invalid_grant", "LK1334" },
        { "scope beyond trust", "invalid_scope", "LK1345" },
        { "not a JWT", "invalid_grant", "LK1331" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task JwtBearer_BadAssertion_IsRefusedWithItsReason(string why, string error, string errorId)
    {
        var setup = await SetUpAsync();
        var claims = Claims(setup);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var scope = "read";
        string assertion;
        using var impostor = new AssertionKey(kid: _idp.Kid);
        switch (why)
        {
            case "wrong signature":
                assertion = impostor.Sign(claims);
                break;
            case "not a JWT":
                assertion = "not-a-jwt";
                break;
            default:
                switch (why)
                {
                    case "wrong audience": claims["aud"] = "https://other.example/oauth2/token"; break;
                    case "expired": (claims["iat"], claims["exp"]) = (now - 600, now - 60); break;
                    case "exp too far": claims["exp"] = now + (long)TimeSpan.FromHours(721).TotalSeconds; break;
                    case "not yet valid": claims["nbf"] = now + 600; break;
                    case "no iat": claims.Remove("iat"); break;
                    case "no jti": claims.Remove("jti"); break;
                    case "untrusted subject": claims["sub"] = "mallory@partner.example"; break;
                    case "untrusted issuer": claims["iss"] = "https://evil.example"; break;
                    case "scope beyond trust": scope = "read write"; break;
                }
                assertion = _idp.Sign(claims);
                break;
        }

        var token = await ExchangeAsync(setup, assertion, scope);

        Assert.Equal(HttpStatusCode.BadRequest, token.HttpStatusCode);
        Api.AssertOAuth2Error(JsonNode.Parse(token.Raw!), error);
        Assert.Equal(errorId, Api.ErrorIdOf(token.HttpResponse));
    }

    /// <summary>The proof for <c>oauth2/grant/jwt/{max_ttl, jti_optional, iat_optional}</c> (ConfigKeyTests): by default an
    /// assertion without jti or iat is refused (<see cref="JwtBearer_BadAssertion_IsRefusedWithItsReason"/>) and one of
    /// 2h is accepted; with these keys set, the reverse.</summary>
    [Fact]
    public async Task GrantJwtConfig_MaxTtlJtiOptionalIatOptional_ChangeWhichAssertionsAreAccepted()
    {
        var defaults = await SetUpAsync();
        var twoHours = Claims(defaults);
        twoHours["exp"] = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
        Assert.False((await ExchangeAsync(defaults, _idp.Sign(twoHours))).IsError);

        var setup = await SetUpAsync(patch: """
            [{"op":"replace","path":"/services/oauth2/config/oauth2/grant/jwt/max_ttl","value":"1h"},
             {"op":"replace","path":"/services/oauth2/config/oauth2/grant/jwt/jti_optional","value":true},
             {"op":"replace","path":"/services/oauth2/config/oauth2/grant/jwt/iat_optional","value":true}]
            """);
        var tooLong = Claims(setup);
        tooLong["exp"] = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
        var bare = Claims(setup);
        bare.Remove("jti");
        bare.Remove("iat");

        var refused = await ExchangeAsync(setup, _idp.Sign(tooLong));
        var accepted = await ExchangeAsync(setup, _idp.Sign(bare));

        Assert.Equal("LK1342", Api.ErrorIdOf(refused.HttpResponse));
        Assert.False(accepted.IsError, accepted.Error + " " + accepted.ErrorDescription);
    }

    [Fact]
    public async Task GrantJwtConfig_MaxTtlNotADuration_IsRefusedByTheControlPlane()
    {
        var project = await _api.CreateProjectAsync("jwt-config");

        var (status, _) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/oauth2/grant/jwt/max_ttl","value":"forever"}]"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task JwtBearer_ReplayedAssertion_IsRefusedTheSecondTime()
    {
        var setup = await SetUpAsync();
        var assertion = _idp.Sign(Claims(setup));

        var first = await ExchangeAsync(setup, assertion);
        var second = await ExchangeAsync(setup, assertion);

        Assert.False(first.IsError, first.Error + " " + first.ErrorDescription);
        Assert.True(second.IsError);
        Assert.Equal("invalid_grant", Api.OAuth2Error(second));
        Assert.Equal("LK1344", Api.ErrorIdOf(second.HttpResponse));
    }

    [Fact]
    public async Task JwtBearer_ConcurrentUsesOfOneAssertion_OnlyOneGetsAToken()
    {
        var setup = await SetUpAsync();
        var assertion = _idp.Sign(Claims(setup));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ExchangeAsync(setup, assertion)));

        Assert.Single(answers, a => !a.IsError);
        Assert.All(answers.Where(a => a.IsError), a => Assert.Equal("invalid_grant", Api.OAuth2Error(a)));
    }

    [Fact]
    public async Task JwtBearer_TrustExpired_IsRefusedAsUntrusted()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(4);
        var setup = await SetUpAsync(TrustBody(expiresAt: expiresAt));
        var left = expiresAt.AddSeconds(1) - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero) await Task.Delay(left);

        var token = await ExchangeAsync(setup, _idp.Sign(Claims(setup)));

        Assert.True(token.IsError);
        Assert.Equal("invalid_grant", Api.OAuth2Error(token));
        Assert.Equal("LK1334", Api.ErrorIdOf(token.HttpResponse));
    }

    [Fact]
    public async Task JwtBearer_TrustDeleted_IsRefused()
    {
        var setup = await SetUpAsync();
        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(setup.Project, "/admin/trust/grants/jwt-bearer/issuers/" + setup.TrustId), setup.Project.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted);

        var token = await ExchangeAsync(setup, _idp.Sign(Claims(setup)));

        Assert.Equal("LK1334", Api.ErrorIdOf(token.HttpResponse));
    }

    [Fact]
    public async Task JwtBearer_ClientWithoutTheGrant_IsUnauthorized()
    {
        var setup = await SetUpAsync();
        var other = await _api.CreateClientAsync(setup.Project);

        var token = await _api.Http.RequestTokenAsync(new TokenRequest
        {
            Address = setup.TokenEndpoint,
            GrantType = OidcConstants.GrantTypes.JwtBearer,
            ClientId = other.Id,
            ClientSecret = other.Secret,
            Parameters = { { OidcConstants.TokenRequest.Assertion, _idp.Sign(Claims(setup)) } },
        });

        Assert.Equal("unauthorized_client", Api.OAuth2Error(token));
    }

    [Fact]
    public async Task TrustApi_HydraClientShapes_CreateGetListFilterPageAndDelete()
    {
        var project = await _api.CreateProjectAsync("trust-api");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30);
        var (status, created, _) = await TrustAsync(project, TrustBody(scope: ["openid", "read"], expiresAt: expiresAt));
        Assert.Equal(HttpStatusCode.Created, status);

        // trustedOAuth2JwtGrantIssuer, as @ory/hydra-client reads it.
        var id = created!["id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(IdpIssuer, created["issuer"]!.GetValue<string>());
        Assert.Equal(Subject, created["subject"]!.GetValue<string>());
        Assert.False(created["allow_any_subject"]!.GetValue<bool>());
        Assert.Equal(["openid", "read"], created["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(IdpIssuer, created["public_key"]!["set"]!.GetValue<string>());
        Assert.Equal(_idp.Kid, created["public_key"]!["kid"]!.GetValue<string>());
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), DateTimeOffset.Parse(created["expires_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.NotNull(created["created_at"]);

        var (got, fetched) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers/" + id), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, got);
        Assert.True(JsonNode.DeepEquals(created, fetched));

        using var second = new AssertionKey();
        var other = TrustBody(jwk: second.PublicJwk);
        other["issuer"] = "https://other-idp.example";
        Assert.Equal(HttpStatusCode.Created, (await TrustAsync(project, other)).Status);

        var (listed, all) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers"), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(2, all!.AsArray().Count);
        var (_, filtered) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers?issuer=" + Uri.EscapeDataString(IdpIssuer)), project.ApiKey);
        Assert.Equal(id, Assert.Single(filtered!.AsArray())!["id"]!.GetValue<string>());

        using var page = await _api.Http.SendAsync(_api.Request(HttpMethod.Get, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers?page_size=1"), project.ApiKey));
        Assert.Single(JsonNode.Parse(await page.Content.ReadAsStringAsync())!.AsArray());
        Assert.Contains("page_token=1", page.Headers.GetValues("Link").Single());
        Assert.Equal("2", page.Headers.GetValues("X-Total-Count").Single());

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers/" + id), project.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var (gone, _, goneId) = await _api.SendForErrorAsync(HttpMethod.Get, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers/" + id), project.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal("LK1308", goneId);
    }

    public static TheoryData<string, int, string> BadTrusts => new()
    {
        { "subject and allow_any_subject", 400, "LK1302" },
        { "neither subject nor allow_any_subject", 400, "LK1301" },
        { "no issuer", 400, "LK1300" },
        { "no expires_at", 400, "LK1303" },
        { "expires_at in the past", 400, "LK1305" },
        { "jwk without kid", 400, "LK1304" },
        { "private jwk", 400, "LK1306" },
        { "symmetric jwk", 400, "LK1306" },
        { "duplicate", 409, "LK1307" },
        { "not JSON", 400, "LK1311" },
    };

    [Theory]
    [MemberData(nameof(BadTrusts))]
    public async Task TrustApi_BadBody_IsRefusedWithHydrasError(string why, int status, string errorId)
    {
        var project = await _api.CreateProjectAsync("trust-bad");
        var body = TrustBody();
        switch (why)
        {
            case "subject and allow_any_subject": body["allow_any_subject"] = true; break;
            case "neither subject nor allow_any_subject": body.Remove("subject"); break;
            case "no issuer": body.Remove("issuer"); break;
            case "no expires_at": body.Remove("expires_at"); break;
            case "expires_at in the past": body["expires_at"] = "2020-01-01T00:00:00Z"; break;
            case "jwk without kid": body["jwk"]!.AsObject().Remove("kid"); break;
            case "private jwk": body["jwk"]!["d"] = "c2VjcmV0"; break;
            case "symmetric jwk": body["jwk"] = new JsonObject { ["kty"] = "oct", ["kid"] = "k", ["k"] = "c2VjcmV0c2VjcmV0c2VjcmV0" }; break;
            case "duplicate": Assert.Equal(HttpStatusCode.Created, (await TrustAsync(project, TrustBody())).Status); break;
        }

        var (answer, error, id) = why == "not JSON"
            ? await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/trust/grants/jwt-bearer/issuers"), project.ApiKey, Api.Json("{not json"))
            : await TrustAsync(project, body);

        Assert.Equal(status, (int)answer);
        Assert.Equal(errorId, id);
        Assert.False(string.IsNullOrEmpty(error!["error_description"]?.GetValue<string>()));
    }
}
