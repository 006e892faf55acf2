using System.Net;
using System.Text.Json.Nodes;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// Dynamic client registration (RFC 7591) and its management (RFC 7592) as Hydra serves them, driven by Duende's
/// <c>RegisterClientAsync</c>: off until the project sets <c>oidc/dynamic_client_registration/enabled</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DynamicClientRegistrationTests(PlatformFixture platform)
{
    const string RedirectUri = "https://app.example.com/callback";
    readonly Api _api = new(platform);

    async Task<TestProject> EnabledProjectAsync(string? defaultScope = null)
    {
        var project = await _api.CreateProjectAsync("dcr");
        var scope = defaultScope is null ? "" : $$""",{"op":"replace","path":"/services/oauth2/config/oidc/dynamic_client_registration/default_scope","value":{{defaultScope}}}""";
        var (status, body) = await _api.SendAsync(HttpMethod.Patch, platform.Api($"/projects/{project.Id}"), platform.WorkspaceKey, Api.Json(
            $$"""[{"op":"replace","path":"/services/oauth2/config/oidc/dynamic_client_registration/enabled","value":true}{{scope}}]"""));
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return project;
    }

    Task<DynamicClientRegistrationResponse> RegisterAsync(TestProject project, DynamicClientRegistrationDocument document) =>
        _api.Http.RegisterClientAsync(new DynamicClientRegistrationRequest { Address = project.Issuer + "/oauth2/register", Document = document });

    static DynamicClientRegistrationDocument WebApp() => new()
    {
        ClientName = "self-registered",
        RedirectUris = { new Uri(RedirectUri) },
        GrantTypes = { "authorization_code", "refresh_token", "client_credentials" },
        ResponseTypes = { "code" },
        Scope = "openid read",
    };

    [Fact]
    public async Task Register_IsNotFound_UntilTheProjectEnablesIt()
    {
        var project = await _api.CreateProjectAsync("dcr-off");
        var off = await RegisterAsync(project, WebApp());
        var discoveryOff = JsonNode.Parse(await _api.Http.GetStringAsync(project.Issuer + "/.well-known/openid-configuration"))!;

        Assert.Equal(HttpStatusCode.NotFound, off.HttpStatusCode);
        Assert.Equal("LK1400", Api.ErrorIdOf(off.HttpResponse));
        Assert.Null(discoveryOff["registration_endpoint"]);

        var enabled = await EnabledProjectAsync();
        var on = await RegisterAsync(enabled, WebApp());
        var discoveryOn = JsonNode.Parse(await _api.Http.GetStringAsync(enabled.Issuer + "/.well-known/openid-configuration"))!;

        Assert.False(on.IsError, on.Error + " " + on.ErrorDescription);
        Assert.Equal(enabled.Issuer + "/oauth2/register", discoveryOn["registration_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_ThenManageWithTheRegistrationAccessToken_AsRfc7592()
    {
        var project = await EnabledProjectAsync();

        var registered = await RegisterAsync(project, WebApp());

        Assert.False(registered.IsError, registered.Error + " " + registered.ErrorDescription);
        Assert.Equal(HttpStatusCode.Created, registered.HttpStatusCode);
        Assert.True(Guid.TryParse(registered.ClientId, out _), "the server chooses the client id");
        Assert.False(string.IsNullOrEmpty(registered.ClientSecret));
        Assert.StartsWith("lk_rat_", registered.RegistrationAccessToken);
        Assert.Equal($"{project.Issuer}/oauth2/register/{registered.ClientId}", registered.RegistrationClientUri);

        // The registered client works at the token endpoint, and the admin API sees it.
        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = registered.ClientId!,
            ClientSecret = registered.ClientSecret,
            Scope = "read",
        });
        Assert.False(token.IsError, token.Error);
        var (adminStatus, admin) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{registered.ClientId}"), project.ApiKey);
        Assert.Equal(HttpStatusCode.OK, adminStatus);
        Assert.Equal("self-registered", admin!["client_name"]!.GetValue<string>());
        Assert.Null(admin["registration_access_token"]);

        var bearer = registered.RegistrationAccessToken!;
        var uri = new Uri(registered.RegistrationClientUri!);
        var (readStatus, read) = await _api.SendAsync(HttpMethod.Get, uri, bearer);
        Assert.Equal(HttpStatusCode.OK, readStatus);
        Assert.Equal(registered.ClientId, read!["client_id"]!.GetValue<string>());
        Assert.Null(read["client_secret"]);
        Assert.Null(read["registration_access_token"]);

        var (wrong, _, wrongId) = await _api.SendForErrorAsync(HttpMethod.Get, uri, "lk_rat_not-the-token");
        var (none, _, noneId) = await _api.SendForErrorAsync(HttpMethod.Get, uri, null);
        Assert.Equal((HttpStatusCode.Unauthorized, "LK1403"), (wrong, wrongId));
        Assert.Equal((HttpStatusCode.Unauthorized, "LK1403"), (none, noneId));

        var (updated, update) = await _api.SendAsync(HttpMethod.Put, uri, bearer, Api.Json(
            $$"""{"client_name":"renamed","redirect_uris":["{{RedirectUri}}"],"grant_types":["client_credentials"],"scope":"read"}"""));
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("renamed", update!["client_name"]!.GetValue<string>());
        var rotated = update["registration_access_token"]!.GetValue<string>();
        Assert.NotEqual(bearer, rotated);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Get, uri, bearer)).Status);
        var again = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = registered.ClientId!,
            ClientSecret = registered.ClientSecret,
            Scope = "read",
        });
        Assert.False(again.IsError, "an update keeps the secret");

        var (secretStatus, _, secretId) = await _api.SendForErrorAsync(HttpMethod.Put, uri, rotated, Api.Json("""{"client_secret":"my-own-secret"}"""));
        Assert.Equal((HttpStatusCode.Forbidden, "LK1404"), (secretStatus, secretId));

        var (deleted, _) = await _api.SendAsync(HttpMethod.Delete, uri, rotated);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{registered.ClientId}"), project.ApiKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.SendAsync(HttpMethod.Get, uri, rotated)).Status);
    }

    [Fact]
    public async Task Register_WithoutScope_GetsTheProjectsDefaultScope()
    {
        var plain = await EnabledProjectAsync();
        var project = await EnabledProjectAsync("""["openid","read"]""");
        var document = WebApp();
        document.Scope = null;

        var hydraDefault = await RegisterAsync(plain, document);
        var configured = await RegisterAsync(project, document);

        Assert.False(configured.IsError, configured.Error);
        var (_, read) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{configured.ClientId}"), project.ApiKey);
        Assert.Equal("openid read", read!["scope"]!.GetValue<string>());
        var (_, plainRead) = await _api.SendAsync(HttpMethod.Get, _api.At(plain, $"/admin/clients/{hydraDefault.ClientId}"), plain.ApiKey);
        Assert.Equal("offline_access offline openid", plainRead!["scope"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"client_secret":"chosen-secret"}""", HttpStatusCode.BadRequest, "LK1401")]
    [InlineData("""{"metadata":{"tier":"gold"}}""", HttpStatusCode.BadRequest, "LK1402")]
    [InlineData("""{"skip_consent":true}""", HttpStatusCode.BadRequest, "LK1402")]
    [InlineData("""{"skip_logout_consent":true}""", HttpStatusCode.BadRequest, "LK1402")]
    [InlineData("""{"access_token_strategy":"jwt"}""", HttpStatusCode.BadRequest, "LK1402")]
    [InlineData("""{"client_credentials_grant_access_token_lifespan":"87000h"}""", HttpStatusCode.BadRequest, "LK1402")]
    [InlineData("""{"redirect_uris":["javascript:alert(1)"]}""", HttpStatusCode.BadRequest, "LK1531")]
    public async Task Register_AdminOnlyOrInvalidField_IsRefused(string body, HttpStatusCode status, string id)
    {
        var project = await EnabledProjectAsync();

        var (answer, error, errorId) = await _api.SendForErrorAsync(HttpMethod.Post, _api.At(project, "/oauth2/register"), null, Api.Json(body));

        Assert.Equal((status, id), (answer, errorId));
        Assert.NotNull(error!["error_description"]);
        var (_, clients) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients"), project.ApiKey);
        Assert.Empty(clients!.AsArray());
    }
}
