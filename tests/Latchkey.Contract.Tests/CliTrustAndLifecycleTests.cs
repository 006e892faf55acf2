using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>
/// The CLI's jwt-bearer issuer commands and client lifecycle commands, run against the real gateway on a fresh
/// project with its project API key: each journey ends with a token request showing the change took effect.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CliTrustAndLifecycleTests(PlatformFixture platform) : IDisposable
{
    const string IdpIssuer = "https://idp.cli.example";
    const string Subject = "alice@cli.example";
    readonly Api _api = new(platform);
    readonly AssertionKey _idp = new();
    readonly string _dir = Directory.CreateTempSubdirectory("latchkey-cli-trust-").FullName;

    public void Dispose()
    {
        _idp.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    static async Task<(int Exit, string Out, string Err)> RunAsync(Dictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.Cli.RunAsync(args, stdout, stderr, env);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    Dictionary<string, string?> Env(TestProject project) => new()
    {
        ["LATCHKEY_PUBLIC_URL"] = platform.PublicUrl.ToString(),
        ["LATCHKEY_PROJECT_API_KEY"] = project.ApiKey,
        ["LATCHKEY_PROJECT"] = project.Slug,
    };

    string Write(JsonNode json)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    static string Tomorrow() => DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    Task<TokenResponse> ExchangeAsync(TestProject project, TestClient client) =>
        _api.Http.RequestTokenAsync(new TokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            GrantType = OidcConstants.GrantTypes.JwtBearer,
            ClientId = client.Id,
            ClientSecret = client.Secret,
            Parameters =
            {
                { OidcConstants.TokenRequest.Assertion, _idp.Sign(AssertionKey.Claims(IdpIssuer, Subject, project.Issuer + "/oauth2/token")) },
                { OidcConstants.TokenRequest.Scope, "read" },
            },
        });

    [Fact]
    public async Task Cli_JwtBearerIssuer_CreateGetListUseDelete()
    {
        var project = await _api.CreateProjectAsync("cli-trust");
        var client = await _api.CreateClientAsync(project, $$"""
            {"client_name":"exchanger","grant_types":["{{OidcConstants.GrantTypes.JwtBearer}}"],"scope":"read write"}
            """);
        var env = Env(project);

        var created = await RunAsync(env, "create", "jwt-bearer-issuer", "--issuer", IdpIssuer, "--subject", Subject,
            "--scope", "read,write", "--jwk", Write(_idp.PublicJwks), "--expires-at", Tomorrow(), "--format", "json");
        Assert.True(created.Exit == 0, created.Err);
        var trust = JsonNode.Parse(created.Out)!;
        var id = trust["id"]!.GetValue<string>();
        Assert.Equal(IdpIssuer, trust["issuer"]!.GetValue<string>());
        Assert.Equal(Subject, trust["subject"]!.GetValue<string>());
        Assert.Equal(["read", "write"], trust["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(_idp.Kid, trust["public_key"]!["kid"]!.GetValue<string>());

        var shown = await RunAsync(env, "get", "jwt-bearer-issuer", id);
        Assert.True(shown.Exit == 0, shown.Err);
        Assert.Contains("ISSUER", shown.Out);
        Assert.Contains(IdpIssuer, shown.Out);
        Assert.Contains(_idp.Kid, shown.Out);

        var listed = await RunAsync(env, "list", "jwt-bearer-issuers", "-q");
        Assert.True(listed.Exit == 0, listed.Err);
        Assert.Equal(id, listed.Out.Trim());
        var filtered = await RunAsync(env, "list", "jwt-bearer-issuers", "--issuer", "https://other.example", "--format", "json");
        Assert.Equal("[]", filtered.Out.Trim());

        var token = await ExchangeAsync(project, client);
        Assert.False(token.IsError, token.Error + " " + token.ErrorDescription);

        var duplicate = await RunAsync(env, "create", "jwt-bearer-issuer", "--issuer", IdpIssuer, "--subject", Subject,
            "--jwk", Write(_idp.PublicJwk), "--expires-at", Tomorrow());
        Assert.Equal(1, duplicate.Exit);
        Assert.StartsWith("Error: 409", duplicate.Err);

        var deleted = await RunAsync(env, "delete", "jwt-bearer-issuer", id);
        Assert.True(deleted.Exit == 0, deleted.Err);
        Assert.Equal(id, deleted.Out.Trim());

        var gone = await RunAsync(env, "get", "jwt-bearer-issuer", id);
        Assert.Equal(1, gone.Exit);
        Assert.StartsWith("Error: 404", gone.Err);
        Assert.Equal("invalid_grant", (await ExchangeAsync(project, client)).Error);
    }

    [Fact]
    public async Task Cli_JwtBearerIssuer_KeyTheServerRefuses_IsOneErrorLine()
    {
        var project = await _api.CreateProjectAsync("cli-trust-bad");
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var small = new JsonObject { ["kty"] = "RSA", ["kid"] = "small", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };

        var run = await RunAsync(Env(project), "create", "jwt-bearer-issuer", "--issuer", IdpIssuer, "--allow-any-subject",
            "--jwk", Write(small), "--expires-at", Tomorrow());

        Assert.Equal(1, run.Exit);
        Assert.Single(run.Err.Trim().Split('\n'));
        Assert.StartsWith("Error: 400", run.Err);
        Assert.Contains("too small", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Cli_ClientLifespans_SetThenReadBackAndApplied()
    {
        var project = await _api.CreateProjectAsync("cli-lifespans");
        var client = await _api.CreateClientAsync(project);
        var env = Env(project);

        var set = await RunAsync(env, "update", "oauth2-client-lifespans", client.Id, "--client-credentials-grant-access-token-lifespan", "5m",
            "--refresh-token-grant-refresh-token-lifespan", "1h30m");
        Assert.True(set.Exit == 0, set.Err);
        Assert.Contains("CLIENT CREDENTIALS GRANT ACCESS TOKEN LIFESPAN", set.Out);
        Assert.Contains("5m0s", set.Out);

        var read = await RunAsync(env, "get", "oauth2-client", client.Id, "--format", "json");
        Assert.True(read.Exit == 0, read.Err);
        var json = JsonNode.Parse(read.Out)!;
        Assert.Equal("5m0s", json["client_credentials_grant_access_token_lifespan"]!.GetValue<string>());
        Assert.Equal("1h30m0s", json["refresh_token_grant_refresh_token_lifespan"]!.GetValue<string>());
        Assert.Null(json["authorization_code_grant_access_token_lifespan"]);

        var token = await RunAsync(env, "perform", "client-credentials", "--client-id", client.Id, "--client-secret", client.Secret, "--format", "json");
        Assert.True(token.Exit == 0, token.Err);
        Assert.InRange(JsonNode.Parse(token.Out)!["expires_in"]!.GetValue<int>(), 295, 300);

        var zero = await RunAsync(env, "update", "oauth2-client-lifespans", client.Id, "--implicit-grant-id-token-lifespan", "0s");
        Assert.Equal(1, zero.Exit);
        Assert.StartsWith("Error: 400", zero.Err);
        Assert.Contains("implicit_grant_id_token_lifespan", zero.Err);

        var reset = await RunAsync(env, "update", "oauth2-client-lifespans", client.Id, "--format", "json");
        Assert.True(reset.Exit == 0, reset.Err);
        Assert.Null(JsonNode.Parse(reset.Out)!["client_credentials_grant_access_token_lifespan"]);
    }

    [Fact]
    public async Task Cli_RotateSecret_BothWorkUntilRotatedSecretsAreDeleted()
    {
        var project = await _api.CreateProjectAsync("cli-rotate");
        var client = await _api.CreateClientAsync(project);
        var env = Env(project);
        Task<(int Exit, string Out, string Err)> TokenAsync(string secret) =>
            RunAsync(env, "perform", "client-credentials", "--client-id", client.Id, "--client-secret", secret, "-q");

        var rotated = await RunAsync(env, "rotate", "oauth2-client-secret", client.Id, "-q");
        Assert.True(rotated.Exit == 0, rotated.Err);
        var secret = rotated.Out.Trim();
        Assert.NotEqual(client.Secret, secret);
        Assert.Single(rotated.Out.Trim().Split('\n'));

        Assert.Equal(0, (await TokenAsync(client.Secret)).Exit);
        Assert.Equal(0, (await TokenAsync(secret)).Exit);

        var dropped = await RunAsync(env, "delete", "oauth2-client-rotated-secrets", client.Id);
        Assert.True(dropped.Exit == 0, dropped.Err);
        Assert.Equal(client.Id, dropped.Out.Trim());

        var old = await TokenAsync(client.Secret);
        Assert.Equal(1, old.Exit);
        Assert.Contains("invalid_client", old.Err);
        Assert.Equal(0, (await TokenAsync(secret)).Exit);

        var missing = await RunAsync(env, "rotate", "oauth2-client-secret", "nobody");
        Assert.Equal(1, missing.Exit);
        Assert.StartsWith("Error: 404", missing.Err);
    }
}
