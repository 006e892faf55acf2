using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Keys;

/// <summary>The named errors of the key-set admin API (ids LK2500–LK2999).</summary>
public static class KeyErrors
{
    public static OAuth2Error UnknownSet(string set) =>
        OAuth2Error.NotFound($"The JSON Web Key Set '{set}' does not exist; a project has '{KeySets.IdToken}' and '{KeySets.AccessToken}'.") with { Id = "LK2500" };

    public static OAuth2Error UnknownKey(string set, string kid) =>
        OAuth2Error.NotFound($"The JSON Web Key '{kid}' does not exist in set '{set}'.") with { Id = "LK2501" };

    public static OAuth2Error KidTaken(string kid, string set) =>
        OAuth2Error.Conflict($"The kid '{kid}' is already used by a key of set '{set}'; kids are unique across a project's published keys.") with { Id = "LK2502" };

    public static readonly OAuth2Error UnsupportedAlg =
        OAuth2Error.InvalidRequest($"'alg' must be one of {string.Join(", ", KeyMaterial.Algorithms)}.") with { Id = "LK2503" };

    public static readonly OAuth2Error UnsupportedUse =
        OAuth2Error.InvalidRequest("Only signing keys ('use': 'sig') are supported.") with { Id = "LK2504" };

    public static readonly OAuth2Error MalformedKid =
        OAuth2Error.InvalidRequest("A kid has at most 200 characters, no '/' and no control characters.") with { Id = "LK2505" };

    public static readonly OAuth2Error EmptySet =
        OAuth2Error.InvalidRequest("The body must be a JSON Web Key Set with at least one key.") with { Id = "LK2506" };

    public static readonly OAuth2Error NullKey =
        OAuth2Error.InvalidRequest("Every entry of 'keys' must be a JSON Web Key, not null.") with { Id = "LK2507" };

    public static readonly OAuth2Error TooManyKeys =
        OAuth2Error.InvalidRequest($"A key set holds at most {KeyEndpoints.MaxKeysPerSet} keys.") with { Id = "LK2508" };

    /// <summary>The imported key is not one we can use (<see cref="KeyMaterial.Problem"/> says why).</summary>
    public static OAuth2Error UnusableKey(string problem) =>
        OAuth2Error.InvalidRequest(problem) with { Id = "LK2509" };

    public static OAuth2Error DuplicateKid(string? kid) =>
        OAuth2Error.InvalidRequest($"The kid '{kid}' appears more than once.") with { Id = "LK2510" };

    public static readonly OAuth2Error NotAKey =
        OAuth2Error.InvalidRequest("The body must be a JSON Web Key.") with { Id = "LK2511" };

    public static OAuth2Error KidMismatch(string bodyKid, string pathKid) =>
        OAuth2Error.InvalidRequest($"The key's kid '{bodyKid}' does not match '{pathKid}' in the path.") with { Id = "LK2512" };
}
