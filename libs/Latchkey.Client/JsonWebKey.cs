namespace Latchkey.Client;

/// <summary>
/// A JSON Web Key in Hydra's wire shape (<c>jsonWebKey</c>). Latchkey's answers carry only the public members;
/// the private ones (<c>d</c>, <c>p</c>, <c>q</c>, <c>dp</c>, <c>dq</c>, <c>qi</c>) are for importing a key.
/// </summary>
public sealed record JsonWebKey
{
    /// <summary><c>RSA</c> or <c>EC</c>.</summary>
    public string? Kty { get; init; }

    public string? Kid { get; init; }

    /// <summary><c>RS256</c>, <c>RS384</c>, <c>RS512</c>, <c>ES256</c>, <c>ES384</c> or <c>ES512</c>.</summary>
    public string? Alg { get; init; }

    /// <summary><c>sig</c>.</summary>
    public string? Use { get; init; }

    public string? N { get; init; }
    public string? E { get; init; }
    public string? Crv { get; init; }
    public string? X { get; init; }
    public string? Y { get; init; }
    public string? D { get; init; }
    public string? P { get; init; }
    public string? Q { get; init; }
    public string? Dp { get; init; }
    public string? Dq { get; init; }
    public string? Qi { get; init; }
}
