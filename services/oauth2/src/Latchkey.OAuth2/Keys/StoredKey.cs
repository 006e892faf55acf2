namespace Latchkey.OAuth2.Keys;

/// <summary>A JSON Web Key of a project's key set; the private part is encrypted with the system secret.</summary>
public sealed class StoredKey
{
    /// <summary>The kid.</summary>
    public string Id { get; set; } = "";
    public string Set { get; set; } = "";
    public string Alg { get; set; } = "RS256";
    public string Use { get; set; } = "sig";
    public string PublicJwk { get; set; } = "";
    public string ProtectedPrivateJwk { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
