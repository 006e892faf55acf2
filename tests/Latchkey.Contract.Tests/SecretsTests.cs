using System.Net;
using Duende.IdentityModel.Client;
using Latchkey.Testing;
using Npgsql;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>Secrets are shown once and stored only as hashes.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SecretsTests(PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Fact]
    public async Task ClientSecret_ShownOnCreateOnly_AndNotStoredInClear()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);

        var (_, fetched) = await _api.SendAsync(HttpMethod.Get, _api.At(project, $"/admin/clients/{client.Id}"), project.ApiKey);
        var (_, listed) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients"), project.ApiKey);

        Assert.Null(fetched!["client_secret"]);
        Assert.All(listed!.AsArray(), c => Assert.Null(c!["client_secret"]));
        Assert.False(await DatabaseContainsAsync(client.Secret), "the client secret must not be stored in clear");
    }

    [Fact]
    public async Task ProjectApiKey_ShownOnCreateOnly_AndNotStoredInClear()
    {
        var project = await _api.CreateProjectAsync();

        var (status, keys) = await _api.SendAsync(HttpMethod.Get, platform.Api($"/projects/{project.Id}/tokens"), platform.WorkspaceKey);

        Assert.Equal(HttpStatusCode.OK, status);
        var key = Assert.Single(keys!.AsArray());
        Assert.Null(key!["value"]);
        Assert.Equal(project.ApiKey[^4..], key["last_characters"]!.GetValue<string>());
        Assert.False(await DatabaseContainsAsync(project.ApiKey), "the project API key must not be stored in clear");
    }

    [Fact]
    public async Task AccessToken_OnlyItsSignatureIsStored()
    {
        var project = await _api.CreateProjectAsync();
        var client = await _api.CreateClientAsync(project);
        var token = await _api.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = project.Issuer + "/oauth2/token",
            ClientId = client.Id,
            ClientSecret = client.Secret,
        });
        var accessToken = token.AccessToken!;
        var random = accessToken["lk_at_".Length..accessToken.IndexOf('.', StringComparison.Ordinal)];

        Assert.False(await DatabaseContainsAsync(random), "the token's random part must not be stored");
        Assert.True(await DatabaseContainsAsync(accessToken[(accessToken.IndexOf('.', StringComparison.Ordinal) + 1)..]), "its signature is what is stored");
    }

    /// <summary>Searches every document of both schemas for the value.</summary>
    async Task<bool> DatabaseContainsAsync(string value)
    {
        await using var connection = new NpgsqlConnection(platform.DatabaseUrl);
        await connection.OpenAsync();
        foreach (var table in new[] { "latchkey.mt_doc_apikey", "oauth2.mt_doc_oauth2client", "oauth2.mt_doc_tokenentry" })
        {
            await using var command = new NpgsqlCommand($"select exists (select 1 from {table} where data::text like '%' || $1 || '%')", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            if ((bool)(await command.ExecuteScalarAsync())!) return true;
        }
        return false;
    }
}
