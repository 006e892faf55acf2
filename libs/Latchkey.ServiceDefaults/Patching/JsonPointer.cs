using System.Globalization;

namespace Latchkey.ServiceDefaults.Patching;

/// <summary>An RFC 6901 JSON Pointer: <c>""</c> is the whole document, <c>/a~1b/0</c> is key <c>a/b</c>, then index 0.</summary>
public sealed record JsonPointer(string Text, IReadOnlyList<string> Tokens)
{
    public bool IsRoot => Tokens.Count == 0;

    public JsonPointer Parent => new(Text[..Text.LastIndexOf('/')], Tokens.Take(Tokens.Count - 1).ToArray());

    public string Last => Tokens[^1];

    public static bool TryParse(string text, out JsonPointer pointer)
    {
        pointer = new JsonPointer("", []);
        if (text.Length == 0) return true;
        if (text[0] != '/') return false;

        var tokens = new List<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            // ~1 before ~0, so that "~01" reads as "~1" and not "/" (RFC 6901 section 4).
            for (var i = raw.IndexOf('~'); i >= 0; i = raw.IndexOf('~', i + 1))
            {
                if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1')) return false;
            }
            tokens.Add(raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }
        pointer = new JsonPointer(text, tokens);
        return true;
    }

    /// <summary>True when <paramref name="other"/> lies strictly inside the value this pointer names.</summary>
    public bool IsProperPrefixOf(JsonPointer other) =>
        Tokens.Count < other.Tokens.Count && Tokens.SequenceEqual(other.Tokens.Take(Tokens.Count));

    /// <summary>An array index as RFC 6901 spells it: <c>0</c> or digits without a leading zero.</summary>
    public static bool TryParseIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit)) return false;
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    public override string ToString() => Text;
}
