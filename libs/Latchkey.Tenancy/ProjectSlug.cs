using System.Security.Cryptography;

namespace Latchkey.Tenancy;

/// <summary>
/// Slugs name a project's host: DNS-safe, unique and unguessable (<c>elastic-goldstine-1n7d31aph0</c>).
/// The ten base-36 characters carry ~51 bits from a CSPRNG, so a slug cannot be enumerated.
/// </summary>
public static class ProjectSlug
{
    static readonly string[] Adjectives =
    [
        "admiring", "bold", "brave", "clever", "cool", "dazzling", "eager", "elastic", "epic", "focused",
        "friendly", "gifted", "happy", "hopeful", "jolly", "keen", "kind", "lucid", "magical", "modest",
        "nifty", "optimistic", "peaceful", "quirky", "relaxed", "serene", "sharp", "stoic", "sweet", "vibrant",
        "wizardly", "zealous",
    ];

    static readonly string[] Names =
    [
        "agnesi", "babbage", "bohr", "curie", "darwin", "dijkstra", "einstein", "euler", "fermat", "feynman",
        "goldstine", "goodall", "hamilton", "hopper", "hypatia", "johnson", "kepler", "knuth", "lamarr", "lovelace",
        "mayer", "meitner", "newton", "noether", "pascal", "ritchie", "shannon", "tesla", "torvalds", "turing",
        "wozniak", "yonath",
    ];

    const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string Generate() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Names[RandomNumberGenerator.GetInt32(Names.Length)]}-{RandomNumberGenerator.GetString(Alphabet, 10)}";

    /// <summary>True when the value could be a slug: lower-case letters, digits and single dashes, at most 63 characters.</summary>
    public static bool IsWellFormed(string value) =>
        value.Length is > 0 and <= 63
        && value[0] != '-' && value[^1] != '-'
        && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
