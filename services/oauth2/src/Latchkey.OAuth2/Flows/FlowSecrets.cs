using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Storage;

namespace Latchkey.OAuth2.Flows;

/// <summary>
/// Challenges and verifiers: <c>&lt;flow id&gt;.&lt;random&gt;</c>. The id part makes lookups primary-key reads;
/// the random part is what must match, compared in constant time (challenges) or by hash (verifiers).
/// </summary>
public static class FlowSecrets
{
    public static string New(Guid flowId) => $"{flowId:N}.{Secrets.Generate()}";

    public static Guid? FlowIdOf(string? value) =>
        value is { Length: > 33 } && value[32] == '.' && Guid.TryParseExact(value[..32], "N", out var id) ? id : null;

    public static string Hash(string value) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static bool Matches(string presented, string? expected) =>
        expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
