namespace Latchkey.OAuth2.Keys;

/// <summary>
/// Hydra's <c>jsonWebKey</c>: RSA (<c>n</c>, <c>e</c>) or EC (<c>crv</c>, <c>x</c>, <c>y</c>) members, and the private ones
/// an import brings. Answers are built with <see cref="PublicPart"/> only, so no private member ever leaves the service.
/// </summary>
public sealed record JwkJson
{
    public string? Kty { get; init; }
    public string? Kid { get; init; }
    public string? Alg { get; init; }
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

    public JwkJson PublicPart() => new() { Kty = Kty, Kid = Kid, Alg = Alg, Use = Use, N = N, E = E, Crv = Crv, X = X, Y = Y };
}
