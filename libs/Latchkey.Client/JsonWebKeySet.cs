namespace Latchkey.Client;

/// <summary>A JSON Web Key Set (<c>{"keys": […]}</c>), Hydra's <c>jsonWebKeySet</c>.</summary>
public sealed record JsonWebKeySet
{
    public IReadOnlyList<JsonWebKey> Keys { get; init; } = [];
}
