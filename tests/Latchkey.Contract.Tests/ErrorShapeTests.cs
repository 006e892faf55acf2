using System.Net;
using System.Text;
using Latchkey.OAuth2.Admin;
using Latchkey.OAuth2.Clients;
using Latchkey.OAuth2.Server;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Every per-project endpoint, public and /admin, answers errors in Hydra's shape, <c>{"error": "…",
/// "error_description": "…"}</c> with a string <c>error</c>, as Hydra's SDKs read it; also when the oauth2
/// service is reached directly, without the gateway.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ErrorShapeTests(Latchkey.Testing.PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task Admin_NotFound_Unauthorized_Conflict_Malformed_AreOAuth2Errors()
    {
        var project = await _api.CreateProjectAsync("errors");
        var client = await _api.CreateClientAsync(project, """{"client_id":"fixed-id","grant_types":["client_credentials"]}""");

        var (noRoute, noRouteBody, noRouteId) = await _api.SendForErrorAsync(HttpMethod.Get, _api.At(project, "/admin/no-such-endpoint"), project.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, noRoute);
        Api.AssertOAuth2Error(noRouteBody, "Not Found");
        Assert.Equal(ServerErrors.NoEndpoint("GET", "/admin/no-such-endpoint").Id, noRouteId);

        var (unknown, unknownBody, unknownId) = await _api.SendForErrorAsync(HttpMethod.Get, _api.At(project, "/admin/clients/no-such-client"), project.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(ClientErrors.NotFound("no-such-client").Description, Api.AssertOAuth2Error(unknownBody, "Not Found"));
        Assert.Equal(ClientErrors.NotFound("no-such-client").Id, unknownId);

        var (anonymous, anonymousBody, anonymousId) = await _api.SendForErrorAsync(HttpMethod.Get, _api.At(project, "/admin/clients"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Api.AssertOAuth2Error(anonymousBody, "request_unauthorized");
        Assert.Equal(AdminErrors.KeyRequired.Id, anonymousId);

        var (duplicate, duplicateBody, duplicateId) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json($$"""{"client_id":"{{client.Id}}","grant_types":["client_credentials"]}"""));
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Api.AssertOAuth2Error(duplicateBody, "Conflict");
        Assert.Equal(ClientErrors.AlreadyExists(client.Id).Id, duplicateId);

        var (malformed, malformedBody) = await _api.SendAsync(HttpMethod.Put, _api.At(project, "/admin/oauth2/auth/requests/login/accept?login_challenge=x"),
            project.ApiKey, Api.Json("{\"subject\": "));
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Api.AssertOAuth2Error(malformedBody, "invalid_request");

        // A method (or content type) no endpoint of the path takes reaches the fallback, as an unknown path does.
        var (wrongMethod, wrongMethodBody, wrongMethodId) = await _api.SendForErrorAsync(HttpMethod.Patch, _api.At(project, "/admin/oauth2/introspect"), project.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod);
        Assert.Equal(ServerErrors.NoEndpoint("PATCH", "/admin/oauth2/introspect").Description, Api.AssertOAuth2Error(wrongMethodBody, "Not Found"));
        Assert.Equal(ServerErrors.NoEndpoint("PATCH", "/admin/oauth2/introspect").Id, wrongMethodId);

        var (wrongType, wrongTypeBody) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients?page_size=many"), project.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType);
        Api.AssertOAuth2Error(wrongTypeBody, "invalid_request");
    }

    [Fact]
    public async Task Direct_UnknownHost_Is404OAuth2Error()
    {
        var (status, body) = await _api.SendDirectAsync(HttpMethod.Get, "no-such-project-0000000000.projects.localhost", "/.well-known/openid-configuration", null);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Api.AssertOAuth2Error(body, "Not Found");
    }

    [Theory]
    [InlineData("/admin/clients", "application/json")]
    [InlineData("/oauth2/token", "application/x-www-form-urlencoded")]
    public async Task Direct_OversizedBody_Is413OAuth2Error(string path, string contentType)
    {
        var project = await _api.CreateProjectAsync("too-big");
        // Sent without a Content-Length the service could refuse up front: the cap must hold while reading, too.
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("a=" + new string('a', 300 * 1024))));
        body.Headers.ContentType = new(contentType);

        var (status, error) = await _api.SendDirectAsync(HttpMethod.Post, Api.HostOf(project), path, project.ApiKey, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Api.AssertOAuth2Error(error, "invalid_request");
    }

    [Fact]
    public async Task Direct_FormWithTooManyFields_Is400OAuth2Error()
    {
        var project = await _api.CreateProjectAsync("many-fields");
        var form = "grant_type=client_credentials&" + string.Join('&', Enumerable.Range(0, 2000).Select(i => $"f{i}=1"));

        var (status, error) = await _api.SendDirectAsync(HttpMethod.Post, Api.HostOf(project), "/oauth2/token", null,
            new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(error, "invalid_request");
    }

    [Theory]
    [InlineData("redirect_uris")]
    [InlineData("post_logout_redirect_uris")]
    [InlineData("contacts")]
    [InlineData("audience")]
    [InlineData("allowed_cors_origins")]
    public async Task CreateClient_MoreThan100EntriesInAList_IsInvalidClientMetadata(string field)
    {
        var project = await _api.CreateProjectAsync("many-uris");
        var entries = string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"https://app{i}.example.com\""));

        var (status, body, id) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json($$"""{"grant_types":["client_credentials"],"{{field}}":[{{entries}}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ClientErrors.ListTooLong(field, 101).Description, Api.AssertOAuth2Error(body, "invalid_client_metadata"));
        Assert.Equal(ClientErrors.ListTooLong(field, 101).Id, id);
        var (ok, _) = await _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json($$"""{"grant_types":["client_credentials"],"{{field}}":[{{string.Join(',', entries.Split(',').Take(100))}}]}"""));
        Assert.Equal(HttpStatusCode.Created, ok);
    }
}
