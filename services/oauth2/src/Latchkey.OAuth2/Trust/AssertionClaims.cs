using System.Globalization;
using Latchkey.ServiceDefaults;
using Latchkey.Tenancy;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Latchkey.OAuth2.Trust;

/// <summary>
/// The claim rules every JWT assertion shares (RFC 7523 §3): the jwt-bearer grant's, and <c>private_key_jwt</c>
/// client assertions' (whose signature, iss and sub OpenIddict checks).
/// </summary>
public static class AssertionClaims
{
    /// <summary>An <c>iat</c> this far ahead of our clock is accepted (clocks drift); further is refused.</summary>
    static readonly TimeSpan IssuedAtLeeway = TimeSpan.FromMinutes(1);

    /// <summary>The first rule the assertion breaks, or null; <paramref name="issuer"/> is the project's, without trailing slash.</summary>
    public static OAuth2Error? Check(JsonWebToken jwt, string issuer, JwtGrantConfig config, DateTimeOffset now)
    {
        var tokenEndpoint = issuer + "/oauth2/token";
        var audiences = jwt.Audiences.ToList();
        if (audiences.Count == 0 || audiences.All(string.IsNullOrEmpty)) return TrustErrors.AudienceClaimMissing;
        if (!audiences.Any(a => a == tokenEndpoint || a == issuer)) return TrustErrors.AudienceNotUs(tokenEndpoint, issuer);

        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)) return TrustErrors.ExpiryClaimMissing;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799));
        if (expiresAt <= now) return TrustErrors.Expired;

        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf)
            && DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(nbf, 0, 253402300799)) > now)
            return TrustErrors.NotYetValid(DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(nbf, 0, 253402300799)).ToString("O", CultureInfo.InvariantCulture));

        var hasIat = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat);
        if (!hasIat && !config.IatOptional) return TrustErrors.IssuedAtClaimMissing;
        var issuedAt = hasIat ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253402300799)) : now;
        if (issuedAt > now + IssuedAtLeeway) return TrustErrors.IssuedAtInFuture;

        // Validated when the project was saved; the default if it somehow is not a duration.
        var maxTtl = GoDuration.TryParse(config.MaxTtl, out var ttl) && ttl > TimeSpan.Zero ? ttl : TimeSpan.FromHours(720);
        if (expiresAt - issuedAt > maxTtl || expiresAt - now > maxTtl)
            return TrustErrors.ExpiryTooFar(expiresAt.ToString("O", CultureInfo.InvariantCulture), issuedAt.ToString("O", CultureInfo.InvariantCulture), config.MaxTtl);

        if (Jti(jwt) is null && !config.JtiOptional) return TrustErrors.JtiClaimMissing;
        return null;
    }

    /// <summary>The assertion's jti, when it has a usable one.</summary>
    public static string? Jti(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) && !string.IsNullOrEmpty(jti) && jti.Length <= 1024 ? jti : null;
}
