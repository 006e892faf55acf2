using System.Net;
using System.Security.Cryptography;
using Latchkey.OAuth2.Keys;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Latchkey.Contract.Tests;

/// <summary>Numbers from outside that would overflow a date, an offset or a key check are a 400 in the OAuth2 shape, never a 500.</summary>
[Collection(PlatformCollection.Name)]
public sealed class OverflowTests(Latchkey.Testing.PlatformFixture platform)
{
    readonly Api _api = new(platform);

    [Theory]
    [InlineData("/admin/clients?page_size=1000&page_token=2147483647")]
    [InlineData("/admin/clients?page_token=99999999999999999999")]
    [InlineData("/admin/clients?page_token=-1")]
    [InlineData("/admin/clients?page_size=99999999999")]
    [InlineData("/admin/oauth2/auth/sessions/consent?subject=a&page_size=500&page_token=2147483647")]
    public async Task Paging_PastAnyList_Is400(string path)
    {
        var project = await _api.CreateProjectAsync("paging");

        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, path), project.ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(body, "invalid_request");
    }

    [Fact]
    public async Task Paging_LastPossiblePage_IsAnEmptyList()
    {
        var project = await _api.CreateProjectAsync("paging");

        var (status, body) = await _api.SendAsync(HttpMethod.Get, _api.At(project, "/admin/clients?page_size=1&page_token=2147483646"), project.ApiKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!.AsArray());
    }

    [Theory]
    [InlineData("""{"keys":[null]}""")]
    [InlineData("""{"keys":[{"kty":"RSA","kid":"a","alg":"RS256"},null]}""")]
    [InlineData("""{"keys":null}""")]
    [InlineData("""{"keys":[1]}""")]
    public async Task ReplaceKeySet_NullOrNonObjectKeys_Is400(string body)
    {
        var project = await _api.CreateProjectAsync("keys");

        var (status, error) = await _api.SendAsync(HttpMethod.Put, _api.At(project, "/admin/keys/hydra.jwt.access-token"), project.ApiKey, Api.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Api.AssertOAuth2Error(error, "invalid_request");
    }

    [Fact]
    public async Task ImportKey_HugeRsaModulus_Is400()
    {
        var project = await _api.CreateProjectAsync("keys");
        var huge = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(64 * 1024 / 8));
        var member = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(256));

        var (status, error, id) = await _api.SendForErrorAsync(HttpMethod.Put, _api.At(project, "/admin/keys/hydra.jwt.access-token/k1"), project.ApiKey, Api.Json($$"""
            {"kty":"RSA","kid":"k1","alg":"RS256","n":"{{huge}}","e":"AQAB","d":"{{huge}}","p":"{{member}}","q":"{{member}}","dp":"{{member}}","dq":"{{member}}","qi":"{{member}}"}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("bits", Api.AssertOAuth2Error(error, "invalid_request"));
        Assert.Equal(KeyErrors.UnusableKey("").Id, id);
    }
}
