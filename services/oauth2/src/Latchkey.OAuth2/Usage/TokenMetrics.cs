using System.Diagnostics.Metrics;
using Latchkey.ServiceDefaults;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Usage;

/// <summary>
/// <c>latchkey.tokens.issued{grant_type, token_type}</c>: the tokens of every successful token response, counted
/// where usage is (<see cref="UsageHandlers.CountIssuedToken"/>).
/// <para>
/// No project (or client) tag: their number grows with sign-ups, and every value of a tag is a time series
/// Prometheus keeps, so a tag without a bound is a cardinality explosion waiting to happen. Per-project counts
/// are the usage API's job (<see cref="UsageMeter"/>, flushed to PostgreSQL). Both tags here have a handful of
/// values: the grant type is mapped onto the grants the server accepts (anything else, <c>other</c>) rather than
/// copied from the request.
/// </para>
/// </summary>
public sealed class TokenMetrics
{
    readonly Counter<long> _issued;

    static readonly KeyValuePair<string, object?> AccessToken = new("token_type", "access_token");
    static readonly KeyValuePair<string, object?> RefreshToken = new("token_type", "refresh_token");
    static readonly KeyValuePair<string, object?> IdToken = new("token_type", "id_token");

    public TokenMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(LatchkeyMeters.OAuth2);
        _issued = meter.CreateCounter<long>("latchkey.tokens.issued", "{token}", "Tokens issued by the token endpoint, by grant type and token type.");
    }

    /// <summary>One token response: its access token, and its refresh and ID tokens when it carries them.</summary>
    public void Count(string? grantType, bool refreshToken, bool idToken)
    {
        if (!_issued.Enabled) return;
        var grant = GrantTag(grantType);
        _issued.Add(1, grant, AccessToken);
        if (refreshToken) _issued.Add(1, grant, RefreshToken);
        if (idToken) _issued.Add(1, grant, IdToken);
    }

    static readonly KeyValuePair<string, object?> ClientCredentials = new("grant_type", GrantTypes.ClientCredentials);
    static readonly KeyValuePair<string, object?> AuthorizationCode = new("grant_type", GrantTypes.AuthorizationCode);
    static readonly KeyValuePair<string, object?> Refresh = new("grant_type", GrantTypes.RefreshToken);
    static readonly KeyValuePair<string, object?> DeviceCode = new("grant_type", GrantTypes.DeviceCode);
    static readonly KeyValuePair<string, object?> TokenExchange = new("grant_type", GrantTypes.TokenExchange);
    static readonly KeyValuePair<string, object?> JwtBearer = new("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    static readonly KeyValuePair<string, object?> Other = new("grant_type", "other");

    static KeyValuePair<string, object?> GrantTag(string? grantType) => grantType switch
    {
        GrantTypes.ClientCredentials => ClientCredentials,
        GrantTypes.AuthorizationCode => AuthorizationCode,
        GrantTypes.RefreshToken => Refresh,
        GrantTypes.DeviceCode => DeviceCode,
        GrantTypes.TokenExchange => TokenExchange,
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => JwtBearer,
        _ => Other,
    };
}
