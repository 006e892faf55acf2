namespace Latchkey.OAuth2.Keys;

/// <summary>A JSON Web Key of a project's key set; the private part is encrypted with the system secret.</summary>
public sealed class StoredKey
{
    /// <summary>The kid: unique within the project, not only the set, as both sets share one published JWKS.</summary>
    public string Id { get; set; } = "";
    public string Set { get; set; } = "";
    public string Alg { get; set; } = "RS256";
    public string Use { get; set; } = "sig";

    /// <summary>The public members as JSON.</summary>
    public string PublicJwk { get; set; } = "";

    /// <summary>The whole key as JSON, encrypted by <see cref="KeyDerivation.Protect"/>.</summary>
    public string ProtectedPrivateJwk { get; set; } = "";

    /// <summary>The newest key of a set signs.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    public JwkJson ToPublicJwk() => KeyMaterial.Parse(PublicJwk).PublicPart() with { Kid = Id, Alg = Alg, Use = Use };
}
