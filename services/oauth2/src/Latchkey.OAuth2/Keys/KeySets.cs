namespace Latchkey.OAuth2.Keys;

/// <summary>
/// Hydra's key set names, the only two sets a project has: the newest key of each signs its tokens, and
/// every key of both is published in <c>/.well-known/jwks.json</c>.
/// </summary>
public static class KeySets
{
    public const string IdToken = "hydra.openid.id-token";
    public const string AccessToken = "hydra.jwt.access-token";

    public static IReadOnlyList<string> All { get; } = [IdToken, AccessToken];

    public static bool IsKnown(string set) => set is IdToken or AccessToken;
}
