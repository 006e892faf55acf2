using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Hydra's key admin API, JWT access tokens and key rotation, verified with Microsoft.IdentityModel against
/// the project's published JWKS, as a resource server would.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class KeysTests(PlatformFixture platform)
{
    const string IdTokenSet = "hydra.openid.id-token";
    const string AccessTokenSet = "hydra.jwt.access-token";
    const string Audience = "https://api.example.com";
    static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi"];
    static readonly string[] ImportedKids = ["imported-ec", "imported-rsa"];

    readonly Api _api = new(platform);

    [Fact]
    public async Task FreshProject_FirstRequestsOnTwoOAuth2ReplicasAtOnce_PublishOneKeyPerSet_TheSameJwksOnBoth()
    {
        // Before: each replica that built a fresh project's options at the same time created a key of its own.
        var replica = await platform.StartOAuth2ReplicaAsync();
        using var viaReplica = platform.CreateClient(port: replica);
        var project = await _api.CreateProjectAsync("keys-replicas");
        var jwks = project.Issuer + "/.well-known/jwks.json";

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? _api.Http : viaReplica).GetStringAsync(jwks)));

        var kids = answers.Select(a => string.Join(",", JsonNode.Parse(a)!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).Order(StringComparer.Ordinal))).ToList();
        Assert.Single(kids.Distinct());
        Assert.Equal(2, kids[0].Split(',').Length);
        Assert.Equal(kids[0], string.Join(",", JsonNode.Parse(await viaReplica.GetStringAsync(jwks))!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task JwtStrategy_ClientCredentials_IssuesJwtThatVerifiesAgainstJwksAndStaysRevocable()
    {
        var project = await JwtProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var signingKid = (await KidsAsync(project, AccessTokenSet))[0];

        var token = await JwtAsync(project, client);

        var jwt = new JsonWebToken(token);
        Assert.Equal("at+jwt", jwt.Typ);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(signingKid, jwt.Kid);
        Assert.DoesNotContain(jwt.Kid, await KidsAsync(project, IdTokenSet));

        var result = await VerifyAsync(project, token);
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(project.Issuer, jwt.Issuer);
        Assert.Equal(client.Id, jwt.Subject);
        Assert.Equal(client.Id, jwt.GetClaim("client_id").Value);
        Assert.Equal("read", jwt.GetClaim("scope").Value);
        Assert.Equal(new[] { Audience }, jwt.Audiences);
        Assert.InRange((jwt.ValidTo - DateTime.UtcNow).TotalSeconds, 3500, 3601);
        Assert.InRange((DateTime.UtcNow - jwt.IssuedAt).TotalSeconds, -5, 60);
        Assert.False(string.IsNullOrEmpty(jwt.Id));

        var active = await _api.IntrospectAsync(project, token);
        Assert.True(active["active"]!.GetValue<bool>());
        Assert.Equal(client.Id, active["client_id"]!.GetValue<string>());
        Assert.Equal("access_token", active["token_use"]!.GetValue<string>());

        var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Token = token,
        });
        Assert.False(revoked.IsError, revoked.Error);
        Assert.False((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());
        // Offline verification knows nothing of revocation: the signature still holds, as with any JWT.
        Assert.True((await VerifyAsync(project, token)).IsValid);
    }

    [Fact]
    public async Task Jwks_NewProject_PublishesPublicKeysOfBothSets()
    {
        var project = await _api.CreateProjectAsync();

        var (status, jwks) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/.well-known/jwks.json"), null);

        Assert.Equal(HttpStatusCode.OK, status);
        var published = jwks!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToHashSet();
        var idTokenKids = await KidsAsync(project, IdTokenSet);
        var accessTokenKids = await KidsAsync(project, AccessTokenSet);
        Assert.Single(idTokenKids);
        Assert.Single(accessTokenKids);
        Assert.NotEqual(idTokenKids[0], accessTokenKids[0]);
        Assert.Superset(published, idTokenKids.Concat(accessTokenKids).ToHashSet());
        AssertPublicOnly(jwks);
    }

    [Fact]
    public async Task KeyRotation_NewKeySignsNewTokens_OldTokensVerifyUntilTheirKeyIsDeleted()
    {
        var project = await JwtProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var oldKid = (await KidsAsync(project, AccessTokenSet))[0];
        var oldToken = await JwtAsync(project, client);
        Assert.Equal(oldKid, new JsonWebToken(oldToken).Kid);

        var (status, created) = await _api.SendAsync(HttpMethod.Post, _api.At(project, $"/admin/keys/{AccessTokenSet}"), project.ApiKey,
            Api.Json("""{"alg":"RS256","use":"sig"}"""));
        Assert.Equal(HttpStatusCode.Created, status);
        AssertPublicOnly(created!);
        var newKid = created!["keys"]![0]!["kid"]!.GetValue<string>();
        Assert.NotEqual(oldKid, newKid);
        Assert.Equal(new[] { newKid, oldKid }, await KidsAsync(project, AccessTokenSet));

        var newToken = await JwtAsync(project, client);
        Assert.Equal(newKid, new JsonWebToken(newToken).Kid);
        Assert.True((await VerifyAsync(project, oldToken)).IsValid);
        Assert.True((await VerifyAsync(project, newToken)).IsValid);

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, $"/admin/keys/{AccessTokenSet}/{oldKid}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, deleted);

        Assert.False((await VerifyAsync(project, oldToken)).IsValid);
        Assert.False((await _api.IntrospectAsync(project, oldToken))["active"]!.GetValue<bool>());
        Assert.True((await VerifyAsync(project, newToken)).IsValid);
        Assert.True((await _api.IntrospectAsync(project, newToken))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Keys_OfProjectA_AreNotVisibleOrDeletableAtProjectB()
    {
        var a = await _api.CreateProjectAsync("a");
        var b = await _api.CreateProjectAsync("b");
        var (_, created) = await _api.SendAsync(HttpMethod.Post, _api.At(a, $"/admin/keys/{AccessTokenSet}"), a.ApiKey,
            Api.Json("""{"alg":"RS256","kid":"a-only","use":"sig"}"""));
        Assert.Equal("a-only", created!["keys"]![0]!["kid"]!.GetValue<string>());

        var (get, _) = await _api.SendAsync(HttpMethod.Get, _api.At(b, $"/admin/keys/{AccessTokenSet}/a-only"), b.ApiKey);
        var (delete, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(b, $"/admin/keys/{AccessTokenSet}/a-only"), b.ApiKey);
        var (withKeyOfA, _) = await _api.SendAsync(HttpMethod.Get, _api.At(b, $"/admin/keys/{AccessTokenSet}"), a.ApiKey);
        var (_, jwksOfB) = await _api.SendAsync(HttpMethod.Get, _api.At(b, "/.well-known/jwks.json"), null);

        Assert.Equal(HttpStatusCode.NotFound, get);
        Assert.Equal(HttpStatusCode.NotFound, delete);
        Assert.Equal(HttpStatusCode.Unauthorized, withKeyOfA);
        Assert.DoesNotContain("a-only", await KidsAsync(b, AccessTokenSet));
        Assert.DoesNotContain(jwksOfB!["keys"]!.AsArray(), k => k!["kid"]!.GetValue<string>() == "a-only");
        Assert.Contains("a-only", await KidsAsync(a, AccessTokenSet));
        // B may use the same kid: kids are unique per project, not platform-wide.
        var (reuse, _) = await _api.SendAsync(HttpMethod.Post, _api.At(b, $"/admin/keys/{IdTokenSet}"), b.ApiKey,
            Api.Json("""{"alg":"RS256","kid":"a-only","use":"sig"}"""));
        Assert.Equal(HttpStatusCode.Created, reuse);
    }

    [Fact]
    public async Task JwtOfProjectA_DoesNotVerifyOrIntrospectAtProjectB()
    {
        var a = await JwtProjectAsync();
        var b = await JwtProjectAsync();
        var token = await JwtAsync(a, await _api.CreateClientAsync(a));

        Assert.False((await VerifyAsync(b, token, issuer: a.Issuer)).IsValid);
        Assert.False((await _api.IntrospectAsync(b, token))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ImportKey_PrivateRsaJwk_SignsTheNextTokens()
    {
        var project = await JwtProjectAsync();
        var client = await _api.CreateClientAsync(project);
        using var rsa = RSA.Create(2048);
        var jwk = RsaJwk(rsa, "imported-rsa");

        var (status, body) = await _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/keys/{AccessTokenSet}/imported-rsa"), project.ApiKey, Api.Json(jwk.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("imported-rsa", body!["kid"]!.GetValue<string>());
        Assert.Equal(jwk["n"]!.GetValue<string>(), body["n"]!.GetValue<string>());
        Assert.Null(body["d"]);
        var token = await JwtAsync(project, client);
        Assert.Equal("imported-rsa", new JsonWebToken(token).Kid);
        var ownKey = new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "imported-rsa" };
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(project.Issuer, [ownKey]));
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task ImportSet_EcAndRsaKeys_ReplacesTheSetAndTheFirstKeySigns()
    {
        var project = await JwtProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var generated = (await KidsAsync(project, AccessTokenSet))[0];
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var set = new JsonObject { ["keys"] = new JsonArray(EcJwk(ec, "imported-ec"), RsaJwk(rsa, "imported-rsa")) };

        var (status, body) = await _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/keys/{AccessTokenSet}"), project.ApiKey, Api.Json(set.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertPublicOnly(body!);
        Assert.Equal(ImportedKids, await KidsAsync(project, AccessTokenSet));
        var (_, jwks) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/.well-known/jwks.json"), null);
        Assert.DoesNotContain(jwks!["keys"]!.AsArray(), k => k!["kid"]!.GetValue<string>() == generated);
        var published = jwks["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == "imported-ec")!;
        Assert.Equal("EC", published["kty"]!.GetValue<string>());
        Assert.Equal("P-256", published["crv"]!.GetValue<string>());

        var token = await JwtAsync(project, client);
        var jwt = new JsonWebToken(token);
        Assert.Equal("imported-ec", jwt.Kid);
        Assert.Equal("ES256", jwt.Alg);
        var result = await VerifyAsync(project, token);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    [Fact]
    public async Task CreateKey_Es256WithKid_IsListedAndReadableByKid()
    {
        var project = await _api.CreateProjectAsync();

        var (status, created) = await _api.SendAsync(HttpMethod.Post, _api.At(project, $"/admin/keys/{IdTokenSet}"), project.ApiKey,
            Api.Json("""{"alg":"ES256","kid":"my-ec-key","use":"sig"}"""));
        var (getStatus, one) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/keys/{IdTokenSet}/my-ec-key"), project.ApiKey);

        Assert.Equal(HttpStatusCode.Created, status);
        var key = created!["keys"]!.AsArray().Single()!;
        Assert.Equal(("EC", "P-256", "ES256", "sig"), (key["kty"]!.GetValue<string>(), key["crv"]!.GetValue<string>(), key["alg"]!.GetValue<string>(), key["use"]!.GetValue<string>()));
        AssertPublicOnly(created);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal("my-ec-key", one!["keys"]![0]!["kid"]!.GetValue<string>());
        Assert.Equal("my-ec-key", (await KidsAsync(project, IdTokenSet))[0]);
    }

    [Fact]
    public async Task DeleteSet_LastKeys_SetIsRecreatedWithAFreshKey()
    {
        var project = await _api.CreateProjectAsync();
        var before = await KidsAsync(project, IdTokenSet);

        var (status, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, $"/admin/keys/{IdTokenSet}"), project.ApiKey);
        var after = await KidsAsync(project, IdTokenSet);

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Single(after);
        Assert.DoesNotContain(after[0], before);
    }

    [Theory]
    [InlineData("POST", "/admin/keys/hydra.jwt.access-token", """{"alg":"HS256","use":"sig"}""", 400)]
    [InlineData("POST", "/admin/keys/hydra.jwt.access-token", """{"alg":"RS256","use":"enc"}""", 400)]
    [InlineData("POST", "/admin/keys/hydra.jwt.access-token", """{"use":"sig"}""", 400)]
    [InlineData("POST", "/admin/keys/my-own-set", """{"alg":"RS256","use":"sig"}""", 404)]
    [InlineData("GET", "/admin/keys/my-own-set", null, 404)]
    [InlineData("GET", "/admin/keys/hydra.jwt.access-token/no-such-kid", null, 404)]
    [InlineData("DELETE", "/admin/keys/hydra.jwt.access-token/no-such-kid", null, 404)]
    [InlineData("PUT", "/admin/keys/hydra.jwt.access-token", """{"keys":[]}""", 400)]
    [InlineData("PUT", "/admin/keys/hydra.jwt.access-token/k1", """{"kty":"RSA","kid":"k1","alg":"RS256","n":"AQAB","e":"AQAB"}""", 400)]
    [InlineData("PUT", "/admin/keys/hydra.jwt.access-token/k1", """{"kty":"RSA","kid":"k2","alg":"RS256"}""", 400)]
    [InlineData("PUT", "/admin/keys/hydra.jwt.access-token/k1", """{"kty":"oct","kid":"k1","alg":"HS256","k":"c2VjcmV0"}""", 400)]
    [InlineData("PUT", "/admin/keys/hydra.jwt.access-token/k1", "not json", 400)]
    public async Task Keys_BadInput_AnswersOAuth2Error(string method, string path, string? body, int expected)
    {
        var project = await _api.CreateProjectAsync();

        var (status, error) = await _api.SendAsync(new HttpMethod(method), _api.At(project, path), project.ApiKey, body is null ? null : Api.Json(body));

        Assert.Equal(expected, (int)status);
        Api.AssertOAuth2Error(error, expected == 404 ? "Not Found" : "invalid_request");
    }

    [Fact]
    public async Task ImportKey_PublicPartOnlyOrMismatchedPrivatePart_Is400()
    {
        var project = await _api.CreateProjectAsync();
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var publicOnly = RsaJwk(rsa, "k1");
        foreach (var member in PrivateMembers) publicOnly.Remove(member);
        var mismatched = RsaJwk(rsa, "k1");
        mismatched["n"] = Base64UrlEncoder.Encode(other.ExportParameters(false).Modulus);

        foreach (var jwk in new[] { publicOnly, mismatched })
        {
            var (status, _) = await _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/keys/{AccessTokenSet}/k1"), project.ApiKey, Api.Json(jwk.ToJsonString()));
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }
    }

    [Fact]
    public async Task CreateKey_KidOfTheOtherSet_Is409()
    {
        var project = await _api.CreateProjectAsync();
        var idTokenKid = (await KidsAsync(project, IdTokenSet))[0];

        var (status, error) = await _api.SendAsync(HttpMethod.Post, _api.At(project, $"/admin/keys/{AccessTokenSet}"), project.ApiKey,
            Api.Json($$"""{"alg":"RS256","kid":"{{idTokenKid}}","use":"sig"}"""));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Api.AssertOAuth2Error(error, "Conflict");
    }

    [Fact]
    public async Task Cli_CreateGetDeleteJwk_RoundTrip()
    {
        var project = await _api.CreateProjectAsync("cli-jwk");
        var env = new Dictionary<string, string?>
        {
            ["LATCHKEY_PUBLIC_URL"] = platform.PublicUrl.ToString(),
            ["LATCHKEY_WORKSPACE_KEY"] = platform.WorkspaceKey,
        };

        var created = await RunAsync(env, "create", "jwk", AccessTokenSet, "--alg", "ES256", "--kid", "cli-key", "--project", project.Slug);
        Assert.True(created.Exit == 0, created.Err);
        Assert.Contains("SET ID", created.Out);
        Assert.Contains("KEY ID", created.Out);
        Assert.Contains("ALGORITHM", created.Out);
        Assert.Contains("cli-key", created.Out);

        var json = await RunAsync(env, "get", "jwk", AccessTokenSet, "--project", project.Id, "--format", "json");
        Assert.True(json.Exit == 0, json.Err);
        var document = JsonNode.Parse(json.Out)!;
        Assert.Equal(AccessTokenSet, document["set"]!.GetValue<string>());
        Assert.Equal("cli-key", document["keys"]![0]!["kid"]!.GetValue<string>());
        Assert.Equal("ES256", document["keys"]![0]!["alg"]!.GetValue<string>());
        Assert.Null(document["keys"]![0]!["d"]);

        var deleted = await RunAsync(env, "delete", "jwk", AccessTokenSet, "cli-key", "--project", project.Slug);
        Assert.True(deleted.Exit == 0, deleted.Err);
        Assert.Equal("cli-key", deleted.Out.Trim());

        var ids = await RunAsync(env, "get", "jwk", AccessTokenSet, IdTokenSet, "--project", project.Slug, "-q");
        Assert.True(ids.Exit == 0, ids.Err);
        Assert.DoesNotContain("cli-key", ids.Out);
        Assert.Equal(2, ids.Out.Trim().Split('\n').Length);

        var missing = await RunAsync(env, "delete", "jwk", AccessTokenSet, "cli-key", "--project", project.Slug);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("404", missing.Err);
    }

    static async Task<(int Exit, string Out, string Err)> RunAsync(Dictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.Cli.RunAsync(args, stdout, stderr, env);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A project whose access tokens are JWTs, set through the control plane as a user would.</summary>
    async Task<TestProject> JwtProjectAsync()
    {
        var project = await _api.CreateProjectAsync("jwt");
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/strategies/access_token","value":"jwt"}]"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("jwt", body!["project"]!["services"]!["oauth2"]!["config"]!["strategies"]!["access_token"]!.GetValue<string>());
        return project;
    }

    /// <summary>
    /// A client-credentials access token that is a JWT. The control plane announces a config change over Redis,
    /// so the oauth2 service may answer one or two requests with the old strategy first.
    /// </summary>
    async Task<string> JwtAsync(TestProject project, TestClient client)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = project.Issuer + "/oauth2/token",
                ClientId = client.Id,
                ClientSecret = client.Secret,
                Scope = "read",
                Parameters = { { "audience", Audience } },
            });
            Assert.False(response.IsError, response.Error + " " + response.ErrorDescription);
            var token = response.AccessToken!;
            if (!token.StartsWith("lk_at_", StringComparison.Ordinal)) return token;
            Assert.True(attempt < 50, "The project still issues opaque access tokens after switching to jwt.");
            await Task.Delay(50);
        }
    }

    async Task<List<string>> KidsAsync(TestProject project, string set)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/keys/{set}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        AssertPublicOnly(body!);
        return body!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
    }

    /// <summary>Verifies a JWT access token as a resource server would: against the JWKS the project publishes.</summary>
    async Task<TokenValidationResult> VerifyAsync(TestProject project, string token, string? issuer = null)
    {
        var jwks = new JsonWebKeySet(await _api.Http.GetStringAsync(_api.At(project, "/.well-known/jwks.json")));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters(issuer ?? project.Issuer, jwks.GetSigningKeys()));
    }

    static TokenValidationParameters Parameters(string issuer, IEnumerable<SecurityKey> keys) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = keys,
        ValidTypes = ["at+jwt"],
    };

    static void AssertPublicOnly(JsonNode set)
    {
        foreach (var key in set["keys"]!.AsArray())
        {
            foreach (var member in PrivateMembers)
                Assert.Null(key![member]);
        }
    }

    static JsonObject RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(true);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = kid,
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["n"] = B64(p.Modulus),
            ["e"] = B64(p.Exponent),
            ["d"] = B64(p.D),
            ["p"] = B64(p.P),
            ["q"] = B64(p.Q),
            ["dp"] = B64(p.DP),
            ["dq"] = B64(p.DQ),
            ["qi"] = B64(p.InverseQ),
        };
    }

    static JsonObject EcJwk(ECDsa ec, string kid)
    {
        var p = ec.ExportParameters(true);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["kid"] = kid,
            ["alg"] = "ES256",
            ["use"] = "sig",
            ["crv"] = "P-256",
            ["x"] = B64(p.Q.X),
            ["y"] = B64(p.Q.Y),
            ["d"] = B64(p.D),
        };
    }

    static string B64(byte[]? bytes) => Base64UrlEncoder.Encode(bytes!);
}
