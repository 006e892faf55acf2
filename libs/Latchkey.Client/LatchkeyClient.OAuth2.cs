using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Latchkey.Client;

// Public OAuth2 / OpenID Connect endpoints of a project: <slug>.projects.<domain>.
public sealed partial class LatchkeyClient
{
    /// <summary>
    /// <c>POST /oauth2/token</c> with <c>grant_type=client_credentials</c>. <paramref name="scope"/> is space-separated;
    /// each audience is sent as its own <c>audience</c> parameter, as the Ory CLI does.
    /// </summary>
    public Task<OAuth2TokenResponse> ClientCredentialsAsync(
        string project, string clientId, string clientSecret, string? scope, IEnumerable<string>? audience,
        ClientAuthMethod authMethod, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrWhiteSpace(scope))
            form.Add(new("scope", scope));
        foreach (var aud in audience ?? [])
            form.Add(new("audience", aud));
        return RequestTokenAsync(project, form, clientId, clientSecret, authMethod, ct);
    }

    /// <summary><c>POST /oauth2/token</c> with <c>grant_type=client_credentials</c>, HTTP Basic, no scope or audience.</summary>
    public Task<OAuth2TokenResponse> ClientCredentialsAsync(string project, string clientId, string clientSecret, CancellationToken ct) =>
        ClientCredentialsAsync(project, clientId, clientSecret, null, null, ClientAuthMethod.ClientSecretBasic, ct);

    /// <summary>
    /// <c>POST /oauth2/token</c> with any grant's parameters (<c>grant_type</c> included), authenticating the client
    /// as <paramref name="authMethod"/> says: for refresh tokens, authorization codes and the like.
    /// </summary>
    public Task<OAuth2TokenResponse> RequestTokenAsync(
        string project, IEnumerable<KeyValuePair<string, string>> parameters, string clientId, string? clientSecret,
        ClientAuthMethod authMethod, CancellationToken ct)
    {
        var request = CreateProjectRequest(project, HttpMethod.Post, "/oauth2/token");
        request.Content = new FormUrlEncodedContent(WithClientAuthentication(request, parameters, clientId, clientSecret, authMethod));
        return ReadAsync<OAuth2TokenResponse>(request, ct);
    }

    /// <summary>
    /// <c>POST /oauth2/device/auth</c> (RFC 8628): a device code to poll with and the user code to show. Poll with
    /// <see cref="RequestTokenAsync"/> and <c>grant_type=urn:ietf:params:oauth:grant-type:device_code</c>.
    /// </summary>
    public Task<OAuth2DeviceAuthorization> DeviceAuthorizationAsync(
        string project, string clientId, string? clientSecret, string? scope, IEnumerable<string>? audience, ClientAuthMethod authMethod, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrWhiteSpace(scope))
            form.Add(new("scope", scope));
        foreach (var aud in audience ?? [])
            form.Add(new("audience", aud));
        var request = CreateProjectRequest(project, HttpMethod.Post, "/oauth2/device/auth");
        request.Content = new FormUrlEncodedContent(WithClientAuthentication(request, form, clientId, clientSecret, authMethod));
        return ReadAsync<OAuth2DeviceAuthorization>(request, ct);
    }

    /// <summary><c>POST /oauth2/revoke</c> (RFC 7009) for an access or refresh token.</summary>
    public Task RevokeAsync(string project, string token, string clientId, string? clientSecret, ClientAuthMethod authMethod, CancellationToken ct)
    {
        var request = CreateProjectRequest(project, HttpMethod.Post, "/oauth2/revoke");
        request.Content = new FormUrlEncodedContent(
            WithClientAuthentication(request, [new("token", token)], clientId, clientSecret, authMethod));
        return SendExpectingSuccessAsync(request, ct);
    }

    /// <summary><c>POST /oauth2/revoke</c> authenticating with HTTP Basic.</summary>
    public Task RevokeAsync(string project, string token, string clientId, string clientSecret, CancellationToken ct) =>
        RevokeAsync(project, token, clientId, clientSecret, ClientAuthMethod.ClientSecretBasic, ct);

    /// <summary><c>GET /.well-known/openid-configuration</c>.</summary>
    public Task<OpenIdConfiguration> GetDiscoveryAsync(string project, CancellationToken ct) =>
        ReadAsync<OpenIdConfiguration>(CreateProjectRequest(project, HttpMethod.Get, "/.well-known/openid-configuration"), ct);

    /// <summary><c>GET /.well-known/jwks.json</c>: the project's public signing keys.</summary>
    public Task<JsonObject> GetJsonWebKeySetAsync(string project, CancellationToken ct) =>
        ReadAsync<JsonObject>(CreateProjectRequest(project, HttpMethod.Get, "/.well-known/jwks.json"), ct);

    /// <summary><c>GET /userinfo</c> with a Bearer access token.</summary>
    public Task<JsonObject> GetUserInfoAsync(string project, string accessToken, CancellationToken ct) =>
        ReadAsync<JsonObject>(WithBearer(CreateProjectRequest(project, HttpMethod.Get, "/userinfo"), accessToken), ct);

    static List<KeyValuePair<string, string>> WithClientAuthentication(
        HttpRequestMessage request, IEnumerable<KeyValuePair<string, string>> parameters, string clientId, string? clientSecret,
        ClientAuthMethod authMethod)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var form = parameters.ToList();
        switch (authMethod)
        {
            case ClientAuthMethod.ClientSecretBasic:
                // RFC 6749 §2.3.1: id and secret are form-encoded before being joined and base64-encoded.
                var credentials = $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret ?? "")}";
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                break;
            case ClientAuthMethod.ClientSecretPost:
                form.Add(new("client_id", clientId));
                form.Add(new("client_secret", clientSecret ?? ""));
                break;
            case ClientAuthMethod.None:
                form.Add(new("client_id", clientId));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(authMethod), authMethod, null);
        }
        return form;
    }
}
