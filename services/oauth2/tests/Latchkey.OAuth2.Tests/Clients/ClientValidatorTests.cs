using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Clients;
using Xunit;

namespace Latchkey.OAuth2.Tests.Clients;

public sealed class ClientValidatorTests
{
    static StoredClient Valid() => new()
    {
        Id = "m2m",
        GrantTypes = ["client_credentials"],
        TokenEndpointAuthMethod = "client_secret_basic",
        SubjectType = "public",
    };

    [Fact]
    public void Validate_ValidClient_ReturnsNull() => Assert.Null(ClientValidator.Validate(Valid(), secret: null));

    public static TheoryData<string, Action<StoredClient>> BrokenRules => new()
    {
        { ClientErrors.MalformedClientId.Id, c => c.Id = "a/b" },
        { ClientErrors.ListTooLong("audience", 101).Id, c => c.Audience = [.. Enumerable.Range(0, 101).Select(i => $"aud-{i}")] },
        { ClientErrors.ListEntryTooLong("contacts").Id, c => c.Contacts = [new string('a', ClientValidator.MaxEntryLength + 1)] },
        { ClientErrors.UnsupportedGrantType("password").Id, c => c.GrantTypes = ["password"] },
        { ClientErrors.UnknownAuthMethod("magic").Id, c => c.TokenEndpointAuthMethod = "magic" },
        { ClientErrors.PrivateKeyJwtNeedsKeys.Id, c => c.TokenEndpointAuthMethod = "private_key_jwt" },
        { ClientErrors.ClientSecretJwtUnsupported.Id, c => c.TokenEndpointAuthMethod = "client_secret_jwt" },
        { ClientErrors.JwksAndJwksUri.Id, c => (c.Jwks, c.JwksUri) = (PublicJwks(), "https://keys.example/jwks.json") },
        { ClientErrors.JwksInvalid("").Id, c => c.Jwks = new JsonObject { ["keys"] = new JsonArray(new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0" }) } },
        { ClientErrors.JwksInvalid("").Id, c => c.Jwks = PrivateJwks() },
        { ClientErrors.JwksUriInvalid.Id, c => c.JwksUri = "ftp://keys.example/jwks.json" },
        { ClientErrors.UnknownSigningAlg("HS256").Id, c => c.TokenEndpointAuthSigningAlg = "HS256" },
        { ClientErrors.UnknownAccessTokenStrategy("both").Id, c => c.AccessTokenStrategy = "both" },
        { ClientErrors.RedirectUriNotAllowed("javascript:x", "").Id, c => c.RedirectUris = ["javascript:alert(1)"] },
        { ClientErrors.PublicClientCredentials.Id, c => c.TokenEndpointAuthMethod = "none" },
        { ClientErrors.LogoutUriNotAllowed("", "", "").Id, c => c.BackchannelLogoutUri = "http://rp.example.com/logout" },
        { ClientErrors.LogoutUriNotAllowed("", "", "").Id, c => c.BackchannelLogoutUri = "com.example.app:/logout" },
        { ClientErrors.FrontchannelLogoutUriOrigin("").Id, c => (c.RedirectUris, c.FrontchannelLogoutUri) = (["https://rp.example.com/cb"], "https://rp.example.com:8443/logout") },
    };

    [Fact]
    public void Validate_LogoutUris_HttpsAndFrontChannelOnARedirectUrisOrigin_AreValid()
    {
        var client = Valid();
        client.RedirectUris = ["https://rp.example.com/cb"];
        client.BackchannelLogoutUri = "https://api.rp.example.com/backchannel";
        client.FrontchannelLogoutUri = "https://rp.example.com/frontchannel?x=1";
        Assert.Null(ClientValidator.Validate(client, secret: null));
    }

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void Validate_BrokenRule_ReturnsItsEntry(string id, Action<StoredClient> breakIt)
    {
        var client = Valid();
        breakIt(client);

        var broken = ClientValidator.Validate(client, secret: null);

        Assert.NotNull(broken);
        Assert.Equal(id, broken.Id);
        Assert.Equal("invalid_client_metadata", broken.Error);
    }

    static JsonObject PublicJwks() => Jwks(includePrivateParts: false);

    static JsonObject PrivateJwks() => Jwks(includePrivateParts: true);

    static JsonObject Jwks(bool includePrivateParts)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParts);
        var key = new JsonObject { ["kty"] = "EC", ["kid"] = "k1", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) };
        if (includePrivateParts) key["d"] = Base64Url.EncodeToString(p.D);
        return new JsonObject { ["keys"] = new JsonArray(key) };
    }

    [Fact]
    public void Validate_PrivateKeyJwtWithPublicJwks_ReturnsNull()
    {
        var client = Valid();
        client.TokenEndpointAuthMethod = "private_key_jwt";
        client.Jwks = PublicJwks();
        client.TokenEndpointAuthSigningAlg = "ES256";

        Assert.Null(ClientValidator.Validate(client, secret: null));
    }

    [Fact]
    public void Validate_PrivateKeyJwtWithJwksUri_ReturnsNull()
    {
        var client = Valid();
        client.TokenEndpointAuthMethod = "private_key_jwt";
        client.JwksUri = "https://keys.example/jwks.json";

        Assert.Null(ClientValidator.Validate(client, secret: null));
    }

    [Fact]
    public void Validate_ShortSecret_ReturnsSecretTooShort() =>
        Assert.Equal(ClientErrors.SecretTooShort.Id, ClientValidator.Validate(Valid(), secret: "12345")?.Id);
}
