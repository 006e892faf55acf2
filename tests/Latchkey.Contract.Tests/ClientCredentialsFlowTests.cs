using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The first half of Ory's "Run your own OAuth2 Server" guide, through the gateway, with Duende's
/// IdentityModel (an independently written OAuth2 client) on the protocol side.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ClientCredentialsFlowTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task Discovery_NewProject_ServesItsOwnIssuerWithoutTrailingSlash()
    {
        var project = await _api.CreateProjectAsync();

        var discovery = await _api.Http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = project.Issuer,
            Policy = { RequireHttps = false, ValidateIssuerName = true, ValidateEndpoints = true },
        });

        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(project.Issuer, discovery.Issuer);
        Assert.Equal(project.Issuer + "/oauth2/token", discovery.TokenEndpoint);
        Assert.Equal(project.Issuer + "/.well-known/jwks.json", discovery.JwksUri);
        Assert.NotEmpty(discovery.KeySet!.Keys);
        Assert.All(discovery.KeySet.Keys, k => Assert.True(string.IsNullOrEmpty(k.D), "JWKS must not contain private keys"));
    }

    [Fact]
    public async Task Discovery_OAuthAuthorizationServerAlias_ServesSameIssuer()
    {
        var project = await _api.CreateProjectAsync();

        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/.well-known/oauth-authorization-server"), null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(project.Issuer, body!["issuer"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ClientCredentialStyle.AuthorizationHeader)]
    [InlineData(ClientCredentialStyle.PostBody)]
    public async Task ClientCredentials_BothAuthMethods_IssueOpaqueTokenThatIntrospectsAndRevokes(ClientCredentialStyle style)
    {
        var project = await _api.CreateProjectAsync();
        var method = style == ClientCredentialStyle.PostBody ? "client_secret_post" : "client_secret_basic";
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"m2m","grant_types":["client_credentials"],"scope":"read write","audience":["https://api.example.com"],"token_endpoint_auth_method":"{{method}}"}
            """);

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            ClientCredentialStyle = style,
            Scope = "read",
            Parameters = { { "audience", "https://api.example.com" } },
        });
        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);
        Assert.StartsWith("lk_at_", token.AccessToken);
        Assert.Equal("bearer", token.TokenType!.ToLowerInvariant());
        Assert.InRange(token.ExpiresIn, 3500, 3600);
        Assert.Equal("read", token.Scope);

        var active = await _api.IntrospectAsync(project, token.AccessToken!);
        Assert.True(active["active"]!.GetValue<bool>());
        Assert.Equal(client.Id, active["client_id"]!.GetValue<string>());
        Assert.Equal(client.Id, active["sub"]!.GetValue<string>());
        Assert.Equal("read", active["scope"]!.GetValue<string>());
        Assert.Equal(project.Issuer, active["iss"]!.GetValue<string>());
        Assert.Equal("access_token", active["token_use"]!.GetValue<string>());
        Assert.Equal("https://api.example.com", active["aud"]![0]!.GetValue<string>());
        var exp = active["exp"]!.GetValue<long>();
        Assert.InRange(exp - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3500, 3601);

        var revoked = await _api.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = project.Issuer + "/oauth2/revoke",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            ClientCredentialStyle = style,
            Token = token.AccessToken!,
        });
        Assert.False(revoked.IsError, revoked.Error);

        var inactive = await _api.IntrospectAsync(project, token.AccessToken!);
        Assert.False(inactive["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DeleteTokens_ForClient_MakesItsTokensInactive()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var token = await RequestTokenAsync(project, client);

        var (status, _) = await _api.SendAsync(HttpMethod.Delete, _api.At(project, $"/admin/oauth2/tokens?client_id={client.Id}"), project.ApiKey);

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False((await _api.IntrospectAsync(project, token))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Introspect_TamperedSignature_IsInactive()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var token = await RequestTokenAsync(project, client);
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        Assert.False((await _api.IntrospectAsync(project, tampered))["active"]!.GetValue<bool>());
        Assert.False((await _api.IntrospectAsync(project, "not-a-token"))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ClientCredentials_ScopeNotGrantedToClient_IsInvalidScope()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Scope = "admin",
        });

        Assert.Equal("invalid_scope", token.Error);
    }

    [Fact]
    public async Task ClientCredentials_AudienceNotGrantedToClient_IsRejected()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);

        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Parameters = { { "audience", "https://evil.example.com" } },
        });

        Assert.Equal("invalid_request", token.Error);
    }

    async Task<string> RequestTokenAsync(TestProject project, TestClient client)
    {
        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Scope = "read",
        });
        Assert.False(token.IsError, token.Error);
        return token.AccessToken!;
    }
}
