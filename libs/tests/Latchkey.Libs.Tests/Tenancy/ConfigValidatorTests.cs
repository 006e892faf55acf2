using Latchkey.Tenancy;
using Xunit;

namespace Latchkey.Libs.Tests.Tenancy;

public sealed class ConfigValidatorTests
{
    [Fact]
    public void Validate_Defaults_HasNoProblems() => Assert.Empty(ConfigValidator.Validate(new OAuth2Config()));

    [Fact]
    public void Validate_HttpsUrls_HasNoProblems()
    {
        var config = new OAuth2Config { Urls = new UrlsConfig { Login = "https://login.example", Consent = "http://127.0.0.1:3000/consent" } };

        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("ftp://example.com/login")]
    [InlineData("javascript:alert(1)")]
    public void Validate_NotAnHttpUrl_NamesThePath(string url)
    {
        var config = new OAuth2Config { Urls = new UrlsConfig { Login = url } };

        Assert.StartsWith("/services/oauth2/config/urls/login:", Assert.Single(ConfigValidator.Validate(config)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("87601h")]
    public void Validate_BadTtl_NamesThePath(string ttl)
    {
        var config = new OAuth2Config { Ttl = new TtlConfig { AccessToken = ttl } };

        Assert.StartsWith("/services/oauth2/config/ttl/access_token:", Assert.Single(ConfigValidator.Validate(config)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("an hour")]
    public void Validate_BadVcNonceTtl_NamesThePath(string ttl)
    {
        var config = new OAuth2Config { Ttl = new TtlConfig { VcNonce = ttl } };

        Assert.StartsWith("/services/oauth2/config/ttl/vc_nonce:", Assert.Single(ConfigValidator.Validate(config)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("forever")]
    public void Validate_BadJwtGrantMaxTtl_NamesThePath(string ttl)
    {
        var config = new OAuth2Config { OAuth2 = new OAuth2Section { Grant = new GrantConfig { Jwt = new JwtGrantConfig { MaxTtl = ttl } } } };

        Assert.StartsWith("/services/oauth2/config/oauth2/grant/jwt/max_ttl:", Assert.Single(ConfigValidator.Validate(config)));
    }

    [Fact]
    public void Validate_UnknownStrategy_IsAProblem()
    {
        var config = new OAuth2Config { Strategies = new StrategiesConfig { AccessToken = "paseto" } };

        Assert.StartsWith("/services/oauth2/config/strategies/access_token:", Assert.Single(ConfigValidator.Validate(config)));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var config = new OAuth2Config { Urls = new UrlsConfig { Logout = "x" }, Ttl = new TtlConfig { IdToken = "x", AuthCode = "y" } };

        Assert.Equal(3, ConfigValidator.Validate(config).Count);
    }
}
