namespace Latchkey.Client;

/// <summary>The body of <c>POST /admin/keys/{set}</c> (Hydra's <c>createJsonWebKeySet</c>).</summary>
public sealed record CreateJsonWebKey
{
    /// <summary><c>RS256</c> (the Ory CLI's default), <c>RS384</c>, <c>RS512</c>, <c>ES256</c>, <c>ES384</c> or <c>ES512</c>.</summary>
    public string Alg { get; init; } = "RS256";

    /// <summary>The key id; generated (a UUID) when unset.</summary>
    public string? Kid { get; init; }

    /// <summary><c>sig</c>: project keys sign tokens.</summary>
    public string Use { get; init; } = "sig";
}
