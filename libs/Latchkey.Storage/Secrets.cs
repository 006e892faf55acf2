using System.Buffers.Text;
using System.Security.Cryptography;

namespace Latchkey.Storage;

public static class Secrets
{
    public const string WorkspaceKeyPrefix = "lk_wak_";
    public const string ProjectKeyPrefix = "lk_pat_";

    /// <summary>A new secret of 256 bits from a CSPRNG, base64url, behind a prefix that says what it is.</summary>
    public static string Generate(string prefix = "") => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
