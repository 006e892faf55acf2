using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Latchkey.Cli.Browser;

/// <summary>
/// One authorization request of the code flow: the URL the browser is sent to, and the secrets its callback and
/// tokens are checked against. State, nonce and PKCE verifier are fresh for every request (unless <c>--state</c>
/// forces the state, as Hydra's CLI allows); the PKCE method is always S256.
/// </summary>
sealed record AuthorizationRequest(string Url, string State, string Nonce, string CodeVerifier)
{
    public static AuthorizationRequest Create(string authorizationEndpoint, AuthorizationParameters parameters)
    {
        var state = parameters.State ?? Random();
        var nonce = Random();
        var verifier = Random();
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        var query = new List<(string Name, string Value)>
        {
            ("response_type", "code"),
            ("client_id", parameters.ClientId),
            ("redirect_uri", parameters.RedirectUri),
            ("scope", string.Join(' ', parameters.Scopes)),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        };
        // Hydra takes a space-separated list in one parameter for both, as the Ory CLI sends them.
        if (parameters.Audiences.Count > 0)
            query.Add(("audience", string.Join(' ', parameters.Audiences)));
        if (parameters.Prompts.Count > 0)
            query.Add(("prompt", string.Join(' ', parameters.Prompts)));
        if (parameters.MaxAge is { } maxAge)
            query.Add(("max_age", maxAge.ToString(CultureInfo.InvariantCulture)));

        var url = authorizationEndpoint + "?" + string.Join('&', query.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}"));
        return new AuthorizationRequest(url, state, nonce, verifier);
    }

    /// <summary>Whether a callback's <c>state</c> is this request's, compared in constant time.</summary>
    public bool IsOwnState(string? state) =>
        state is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(State));

    // 256 bits, base64url: unguessable, and a valid PKCE verifier (43 characters of the unreserved set).
    static string Random() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
