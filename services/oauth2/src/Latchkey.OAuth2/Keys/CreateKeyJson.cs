namespace Latchkey.OAuth2.Keys;

/// <summary>Hydra's <c>createJsonWebKeySet</c> body: which key to generate.</summary>
public sealed record CreateKeyJson(string? Alg, string? Kid, string? Use);
