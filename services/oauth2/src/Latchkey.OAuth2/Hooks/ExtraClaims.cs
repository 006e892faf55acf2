using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.OAuth2.Flows;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Latchkey.OAuth2.Hooks;

/// <summary>
/// A token's extra claims, as Hydra's session keeps them apart (<c>session.access_token</c> / <c>session.id_token</c>
/// of a consent, or a token hook's answer): every claim of the principal except the protocol's own, OpenIddict's
/// private <c>oi_</c> claims and ours. Introspection shows an access token's as <c>ext</c>.
/// </summary>
public static class ExtraClaims
{
    static readonly HashSet<string> Standard =
    [
        Claims.Subject, Claims.Issuer, Claims.Audience, Claims.ExpiresAt, Claims.IssuedAt, Claims.NotBefore, Claims.JwtId,
        Claims.Nonce, Claims.AuthenticationTime, Claims.AuthenticationContextReference, Claims.AuthenticationMethodReference,
        Claims.Scope, Claims.ClientId, Claims.AuthorizedParty, Claims.AccessTokenHash, Claims.CodeHash, "sid", FlowClaims.Flow,
    ];

    public static bool IsExtra(string type) =>
        !Standard.Contains(type) && !type.StartsWith("oi_", StringComparison.Ordinal) && !type.StartsWith("lk_", StringComparison.Ordinal);

    /// <summary>The extra claims that go to <paramref name="destination"/> (an OpenIddict destination), as JSON.</summary>
    public static JsonObject Read(ClaimsPrincipal principal, string? destination)
    {
        var result = new JsonObject();
        foreach (var group in principal.Claims.Where(c => IsExtra(c.Type)).GroupBy(c => c.Type))
        {
            if (destination is not null && !group.First().GetDestinations().Contains(destination)) continue;
            var values = group.Select(ValueOf).ToList();
            result[group.Key] = values.Count == 1 ? values[0] : new JsonArray([.. values]);
        }
        return result;
    }

    static JsonNode? ValueOf(Claim claim) => claim.ValueType switch
    {
        "JSON" or "JSON_ARRAY" => JsonNode.Parse(claim.Value),
        ClaimValueTypes.Boolean => bool.Parse(claim.Value),
        ClaimValueTypes.Integer or ClaimValueTypes.Integer32 or ClaimValueTypes.Integer64 => long.Parse(claim.Value, CultureInfo.InvariantCulture),
        ClaimValueTypes.Double => double.Parse(claim.Value, CultureInfo.InvariantCulture),
        _ => claim.Value,
    };

    /// <summary>
    /// Replaces the principal's extra claims with these, each sent to the tokens that name it (Hydra replaces, it does
    /// not merge). OpenIddict gives all claims of one name the same destinations, so a name both lists give with
    /// different values keeps the access token's value, in the access token only.
    /// </summary>
    public static void Replace(ClaimsPrincipal principal, JsonObject? accessToken, JsonObject? idToken)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var claim in principal.Claims.Where(c => IsExtra(c.Type)).ToList()) identity.RemoveClaim(claim);

        var names = (accessToken ?? []).Select(p => p.Key).Union((idToken ?? []).Select(p => p.Key)).Where(IsExtra);
        foreach (var name in names)
        {
            var inAccess = accessToken?[name] is not null;
            if (inAccess && idToken?[name] is { } same && JsonNode.DeepEquals(accessToken![name], same))
            {
                Add(identity, name, same, [Destinations.AccessToken, Destinations.IdentityToken]);
                continue;
            }
            if (inAccess) Add(identity, name, accessToken![name]!, [Destinations.AccessToken]);
            else if (idToken?[name] is { } idValue) Add(identity, name, idValue, [Destinations.IdentityToken]);
        }
    }

    static void Add(ClaimsIdentity identity, string name, JsonNode value, string[] destinations)
    {
        var claim = value.GetValueKind() switch
        {
            JsonValueKind.String => new Claim(name, value.GetValue<string>()),
            JsonValueKind.True or JsonValueKind.False => new Claim(name, value.ToJsonString(), ClaimValueTypes.Boolean),
            JsonValueKind.Number when value.AsValue().TryGetValue<long>(out var integer) => new Claim(name, integer.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            JsonValueKind.Number => new Claim(name, value.ToJsonString(), ClaimValueTypes.Double),
            _ => new Claim(name, value.ToJsonString(), "JSON"),
        };
        claim.SetDestinations(destinations);
        identity.AddClaim(claim);
    }
}
