using System.Text;

namespace Latchkey.Bench;

/// <summary>A confidential client's id and secret, and the <c>Authorization</c> header wrk sends for it.</summary>
sealed record ClientCredentials(string Id, string Secret)
{
    /// <summary>client_secret_basic; RFC 6749 §2.3.1 form-encodes id and secret before base64.</summary>
    public string Basic =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(Id)}:{Uri.EscapeDataString(Secret)}"));
}
