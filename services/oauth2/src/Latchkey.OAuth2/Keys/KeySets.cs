namespace Latchkey.OAuth2.Keys;

/// <summary>Hydra's key set names.</summary>
public static class KeySets
{
    public const string IdToken = "hydra.openid.id-token";
    public const string AccessToken = "hydra.jwt.access-token";
}
