using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// <c>private_key_jwt</c> client authentication (RFC 7523 §2.2, OIDC Core §9) on a fresh project, with Duende's
/// <c>ClientAssertion</c>: keys registered inline or served from a <c>jwks_uri</c>, assertions single use.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PrivateKeyJwtTests(PlatformFixture platform) : IDisposable
{
    readonly Api _api = new(platform);
    readonly AssertionKey _key = new();

    public void Dispose() => _key.Dispose();

    async Task<TestClient> RegisterAsync(TestProject project, JsonObject keys)
    {
        var body = new JsonObject
        {
            ["client_name"] = "signed",
            ["grant_types"] = new JsonArray("client_credentials"),
            ["scope"] = "read",
            ["token_endpoint_auth_method"] = "private_key_jwt",
        };
        foreach (var (name, value) in keys) body[name] = value?.DeepClone();
        var (status, json) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(body.ToJsonString()));
        Assert.True(status == HttpStatusCode.Created, json?.ToJsonString());
        Assert.Null(json!["client_secret"]);
        return new TestClient(json["client_id"]!.GetValue<string>(), "");
    }

    string Assertion(TestProject project, TestClient client, string? audience = null) =>
        _key.Sign(AssertionKey.Claims(client.Id, client.Id, audience ?? project.Issuer + "/oauth2/token"));

    Task<TokenResponse> TokenAsync(TestProject project, TestClient client, string assertion) =>
        _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientAssertion = new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = assertion },
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Scope = "read",
        });

    [Fact]
    public async Task PrivateKeyJwt_InlineJwks_IssuesAToken_AndRevokesWithAnotherAssertion()
    {
        var project = await _api.CreateProjectAsync("pkjwt-inline");
        var client = await RegisterAsync(project, new JsonObject { ["jwks"] = _key.PublicJwks, ["token_endpoint_auth_signing_alg"] = _key.Alg });

        var token = await TokenAsync(project, client, Assertion(project, client));

        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
        Assert.Equal(client.Id, (await _api.IntrospectAsync(project, token.AccessToken!))["client_id"]!.GetValue<string>());

        var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = client.Id,
            ClientAssertion = new ClientAssertion { Type = OidcConstants.ClientAssertionTypes.JwtBearer, Value = Assertion(project, client) },
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Token = token.AccessToken!,
        });
        Assert.False(revoked.IsError, revoked.Error);
        Assert.False((await _api.IntrospectAsync(project, token.AccessToken!))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PrivateKeyJwt_AudienceIsTheIssuer_IsAccepted_AnotherAudienceIsNot()
    {
        var project = await _api.CreateProjectAsync("pkjwt-aud");
        var client = await RegisterAsync(project, new JsonObject { ["jwks"] = _key.PublicJwks });

        var issuerAudience = await TokenAsync(project, client, Assertion(project, client, audience: project.Issuer));
        var otherAudience = await TokenAsync(project, client, Assertion(project, client, audience: "https://other.example/oauth2/token"));

        Assert.False(issuerAudience.IsError, issuerAudience.Error + " " + issuerAudience.ErrorDescription);
        Assert.Equal("invalid_client", Api.OAuth2Error(otherAudience));
    }

    [Fact]
    public async Task PrivateKeyJwt_ReplayedAssertion_IsRefused()
    {
        var project = await _api.CreateProjectAsync("pkjwt-replay");
        var client = await RegisterAsync(project, new JsonObject { ["jwks"] = _key.PublicJwks });
        var assertion = Assertion(project, client);

        var first = await TokenAsync(project, client, assertion);
        var second = await TokenAsync(project, client, assertion);

        Assert.False(first.IsError, first.Error + " " + first.ErrorDescription);
        Assert.Equal("invalid_client", Api.OAuth2Error(second));
        Assert.Equal("LK1609", Api.ErrorIdOf(second.HttpResponse));
    }

    [Fact]
    public async Task PrivateKeyJwt_WrongKeyOrAlgorithmOrSecret_IsRefused()
    {
        var project = await _api.CreateProjectAsync("pkjwt-wrong");
        var client = await RegisterAsync(project, new JsonObject { ["jwks"] = _key.PublicJwks, ["token_endpoint_auth_signing_alg"] = "ES256" });
        using var impostor = new AssertionKey(kid: _key.Kid);
        using var rsa = new AssertionKey("RS256", kid: _key.Kid);

        var wrongKey = await TokenAsync(project, client, impostor.Sign(AssertionKey.Claims(client.Id, client.Id, project.Issuer + "/oauth2/token")));
        var wrongAlg = await TokenAsync(project, client, rsa.Sign(AssertionKey.Claims(client.Id, client.Id, project.Issuer + "/oauth2/token")));
        var secret = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = "guessed-secret",
            Scope = "read",
        });

        Assert.Equal("invalid_client", Api.OAuth2Error(wrongKey));
        Assert.Equal("invalid_client", Api.OAuth2Error(wrongAlg));
        Assert.Equal("invalid_client", Api.OAuth2Error(secret));
    }

    [Fact]
    public async Task PrivateKeyJwt_SecretClientSendingAnAssertion_IsRefused()
    {
        var project = await _api.CreateProjectAsync("pkjwt-method");
        var secretClient = await _api.CreateClientAsync(project);

        var token = await TokenAsync(project, secretClient, Assertion(project, secretClient));

        Assert.Equal("invalid_client", Api.OAuth2Error(token));
    }

    /// <summary>A JWKS server on 127.0.0.1, as a client's own key server would be (on a public address in real life).</summary>
    static async Task<(WebApplication App, string Uri, Func<int> Fetches)> JwksServerAsync(JsonObject jwks)
    {
        var port = PlatformFixture.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var fetches = 0;
        app.MapGet("/jwks.json", () =>
        {
            Interlocked.Increment(ref fetches);
            return Results.Text(jwks.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return (app, $"http://127.0.0.1:{port}/jwks.json", () => fetches);
    }

    [Fact]
    public async Task PrivateKeyJwt_JwksUriOnLoopback_WorksWhenTheProjectAllowsPrivateRanges_AndIsFetchedOnce()
    {
        var (server, uri, fetches) = await JwksServerAsync(_key.PublicJwks);
        await using var _ = server;
        var project = await _api.CreateProjectAsync("pkjwt-uri");
        var (patched, error) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey,
            Api.Json("""[{"op":"replace","path":"/services/oauth2/config/clients/http/disallow_private_ip_ranges","value":false}]"""));
        Assert.True(patched == HttpStatusCode.OK, error?.ToJsonString());
        var client = await RegisterAsync(project, new JsonObject { ["jwks_uri"] = uri });

        var first = await TokenAsync(project, client, Assertion(project, client));
        var second = await TokenAsync(project, client, Assertion(project, client));

        Assert.False(first.IsError, first.Error + " " + first.ErrorDescription);
        Assert.False(second.IsError, second.Error + " " + second.ErrorDescription);
        Assert.Equal(1, fetches());
    }

    [Fact]
    public async Task PrivateKeyJwt_JwksUriOnLoopback_IsRefusedByDefault()
    {
        var (server, uri, fetches) = await JwksServerAsync(_key.PublicJwks);
        await using var _ = server;
        var project = await _api.CreateProjectAsync("pkjwt-private");
        var client = await RegisterAsync(project, new JsonObject { ["jwks_uri"] = uri });

        var token = await TokenAsync(project, client, Assertion(project, client));

        Assert.Equal("invalid_client", Api.OAuth2Error(token));
        Assert.Equal("LK1606", Api.ErrorIdOf(token.HttpResponse));
        Assert.Equal(0, fetches());
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { """{"token_endpoint_auth_method":"private_key_jwt"}""", "LK1601" },
        { """{"token_endpoint_auth_method":"client_secret_jwt"}""", "LK1602" },
        { """{"token_endpoint_auth_method":"private_key_jwt","jwks":{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}}""", "LK1603" },
        { """{"token_endpoint_auth_method":"private_key_jwt","jwks_uri":"ftp://keys.example/jwks.json"}""", "LK1604" },
        { """{"token_endpoint_auth_method":"private_key_jwt","jwks_uri":"https://keys.example/jwks.json","token_endpoint_auth_signing_alg":"HS256"}""", "LK1605" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Registration_BadKeyFields_AreRefusedWithHydrasError(string fields, string errorId)
    {
        var project = await _api.CreateProjectAsync("pkjwt-register");
        var body = JsonNode.Parse(fields)!.AsObject();
        body["grant_types"] = new JsonArray("client_credentials");

        var (status, error, id) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(errorId, id);
        Api.AssertOAuth2Error(error, "invalid_client_metadata");
    }

    [Fact]
    public async Task Registration_JwksAndJwksUri_AreReturnedAsHydraDoes()
    {
        var project = await _api.CreateProjectAsync("pkjwt-fields");
        var client = await RegisterAsync(project, new JsonObject { ["jwks"] = _key.PublicJwks, ["token_endpoint_auth_signing_alg"] = "ES256" });

        var (_, json) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients/" + client.Id), project.ApiKey);

        Assert.Equal("private_key_jwt", json!["token_endpoint_auth_method"]!.GetValue<string>());
        Assert.Equal("ES256", json["token_endpoint_auth_signing_alg"]!.GetValue<string>());
        Assert.Equal(_key.Kid, json["jwks"]!["keys"]![0]!["kid"]!.GetValue<string>());
        Assert.Equal("", json["jwks_uri"]!.GetValue<string>());
    }
}
