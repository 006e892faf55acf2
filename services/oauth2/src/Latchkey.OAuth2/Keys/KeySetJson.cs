namespace Latchkey.OAuth2.Keys;

/// <summary>Hydra's <c>jsonWebKeySet</c>: <c>{"keys": […]}</c>.</summary>
public sealed record KeySetJson(IReadOnlyList<JwkJson>? Keys)
{
    public static KeySetJson PublicOf(IEnumerable<StoredKey> keys) => new(keys.Select(k => k.ToPublicJwk()).ToList());
}
