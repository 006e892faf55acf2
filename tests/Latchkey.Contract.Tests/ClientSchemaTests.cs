using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Every property of Hydra's <c>oAuth2Client</c> schema (spec/api.json, copied below as data) is stored and
/// returned: a client created with a value for each settable field reads back with each value, in Hydra's form.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ClientSchemaTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    /// <summary>Hydra's <c>oAuth2Client</c> properties, all of them, as spec/api.json lists them.</summary>
    static readonly string[] HydraProperties =
    [
        "access_token_strategy", "allowed_cors_origins", "audience", "authorization_code_grant_access_token_lifespan",
        "authorization_code_grant_id_token_lifespan", "authorization_code_grant_refresh_token_lifespan", "backchannel_logout_session_required",
        "backchannel_logout_uri", "client_credentials_grant_access_token_lifespan", "client_id", "client_name", "client_secret",
        "client_secret_expires_at", "client_uri", "contacts", "created_at", "device_authorization_grant_access_token_lifespan",
        "device_authorization_grant_id_token_lifespan", "device_authorization_grant_refresh_token_lifespan", "frontchannel_logout_session_required",
        "frontchannel_logout_uri", "grant_types", "implicit_grant_access_token_lifespan", "implicit_grant_id_token_lifespan", "jwks", "jwks_uri",
        "jwt_bearer_grant_access_token_lifespan", "logo_uri", "metadata", "owner", "policy_uri", "post_logout_redirect_uris", "redirect_uris",
        "refresh_token_grant_access_token_lifespan", "refresh_token_grant_id_token_lifespan", "refresh_token_grant_refresh_token_lifespan",
        "registration_access_token", "registration_client_uri", "request_object_signing_alg", "request_uris", "response_types", "scope",
        "sector_identifier_uri", "skip_consent", "skip_logout_consent", "subject_type", "token_endpoint_auth_method",
        "token_endpoint_auth_signing_alg", "tos_uri", "updated_at", "userinfo_signed_response_alg",
    ];

    /// <summary>Set by the server, not by the caller: checked on their own below.</summary>
    static readonly string[] ServerSet =
        ["client_secret", "client_secret_expires_at", "created_at", "updated_at", "registration_access_token", "registration_client_uri", "jwks_uri"];

    /// <summary>A value for every settable property (jwks_uri is tried on its own: Hydra refuses it next to jwks).</summary>
    static JsonObject FullClient() => new()
    {
        ["client_id"] = "every-field",
        ["client_name"] = "Every field",
        ["access_token_strategy"] = "jwt",
        ["allowed_cors_origins"] = new JsonArray("https://app.example.com"),
        ["audience"] = new JsonArray("https://api.example.com"),
        ["authorization_code_grant_access_token_lifespan"] = "1h0m0s",
        ["authorization_code_grant_id_token_lifespan"] = "2h0m0s",
        ["authorization_code_grant_refresh_token_lifespan"] = "3h0m0s",
        ["backchannel_logout_session_required"] = true,
        ["backchannel_logout_uri"] = "https://app.example.com/backchannel",
        ["client_credentials_grant_access_token_lifespan"] = "4h0m0s",
        ["client_uri"] = "https://app.example.com",
        ["contacts"] = new JsonArray("ops@example.com"),
        ["device_authorization_grant_access_token_lifespan"] = "5h0m0s",
        ["device_authorization_grant_id_token_lifespan"] = "6h0m0s",
        ["device_authorization_grant_refresh_token_lifespan"] = "7h0m0s",
        ["frontchannel_logout_session_required"] = true,
        ["frontchannel_logout_uri"] = "https://app.example.com/frontchannel",
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token", "client_credentials"),
        ["implicit_grant_access_token_lifespan"] = "8h0m0s",
        ["implicit_grant_id_token_lifespan"] = "9h0m0s",
        ["jwks"] = JsonNode.Parse("""{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"k1","use":"sig","alg":"ES256"}]}"""),
        ["jwt_bearer_grant_access_token_lifespan"] = "10h0m0s",
        ["logo_uri"] = "https://app.example.com/logo.png",
        ["metadata"] = JsonNode.Parse("""{"tier":"gold","n":1}"""),
        ["owner"] = "team-1",
        ["policy_uri"] = "https://app.example.com/policy",
        ["post_logout_redirect_uris"] = new JsonArray("https://app.example.com/bye"),
        ["redirect_uris"] = new JsonArray("https://app.example.com/callback"),
        ["refresh_token_grant_access_token_lifespan"] = "11h0m0s",
        ["refresh_token_grant_id_token_lifespan"] = "12h0m0s",
        ["refresh_token_grant_refresh_token_lifespan"] = "13h0m0s",
        ["request_object_signing_alg"] = "RS256",
        ["request_uris"] = new JsonArray("https://app.example.com/request.jwt"),
        ["response_types"] = new JsonArray("code"),
        ["scope"] = "openid offline_access read",
        ["sector_identifier_uri"] = "https://app.example.com/sector.json",
        ["skip_consent"] = true,
        ["skip_logout_consent"] = true,
        ["subject_type"] = "public",
        ["token_endpoint_auth_method"] = "client_secret_post",
        ["token_endpoint_auth_signing_alg"] = "ES256",
        ["tos_uri"] = "https://app.example.com/tos",
        ["userinfo_signed_response_alg"] = "RS256",
    };

    [Fact]
    public void FullClient_HasAValueForEverySettableHydraProperty() =>
        Assert.Equal(HydraProperties.Except(ServerSet).Order(), FullClient().Select(p => p.Key).Order());

    [Fact]
    public async Task EveryHydraField_RoundTripsThroughCreateAndRead()
    {
        var project = await _api.CreateProjectAsync("client-schema");
        var sent = FullClient();

        var (created, createdBody) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(sent.ToJsonString()));
        var (status, read) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients/every-field"), project.ApiKey);

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var (field, value) in sent)
            Assert.True(JsonNode.DeepEquals(value, read![field]), $"{field}: sent {value?.ToJsonString()}, read {read[field]?.ToJsonString()}");
        Assert.False(string.IsNullOrEmpty(createdBody!["client_secret"]?.GetValue<string>()));
        Assert.Null(read!["client_secret"]);
        Assert.Equal(0, read["client_secret_expires_at"]!.GetValue<long>());
        Assert.True(read["created_at"]!.GetValue<DateTimeOffset>() <= read["updated_at"]!.GetValue<DateTimeOffset>());

        var (withUri, uriBody) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json("""{"grant_types":["client_credentials"],"jwks_uri":"https://app.example.com/jwks.json"}"""));
        Assert.Equal(HttpStatusCode.Created, withUri);
        Assert.Equal("https://app.example.com/jwks.json", uriBody!["jwks_uri"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"jwks":{"keys":[]},"jwks_uri":"https://app.example.com/jwks.json"}""", "LK1600")]
    [InlineData("""{"tos_uri":"javascript:alert(1)"}""", "LK1554")]
    [InlineData("""{"backchannel_logout_uri":"not a uri"}""", "LK1650")]
    [InlineData("""{"request_uris":["ftp://example.com/r"]}""", "LK1554")]
    [InlineData("""{"allowed_cors_origins":["https://app.example.com/path"]}""", "LK1555")]
    [InlineData("""{"userinfo_signed_response_alg":"HS256"}""", "LK1556")]
    [InlineData("""{"token_endpoint_auth_signing_alg":"none"}""", "LK1605")]
    public async Task InvalidField_IsInvalidClientMetadata(string body, string id)
    {
        var project = await _api.CreateProjectAsync("client-schema-bad");

        var (status, error, errorId) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey, Api.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(error, "invalid_client_metadata");
        Assert.Equal(id, errorId);
    }
}
