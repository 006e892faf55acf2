namespace Latchkey.Client;

/// <summary>How a client authenticates at the token and revocation endpoints.</summary>
public enum ClientAuthMethod
{
    /// <summary>HTTP Basic with the form-encoded id and secret (<c>client_secret_basic</c>).</summary>
    ClientSecretBasic,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body (<c>client_secret_post</c>).</summary>
    ClientSecretPost,

    /// <summary>A public client: only <c>client_id</c> in the form body (<c>none</c>).</summary>
    None,
}
