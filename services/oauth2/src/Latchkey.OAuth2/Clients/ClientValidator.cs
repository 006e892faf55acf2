using System.Net;
using Latchkey.ServiceDefaults;

namespace Latchkey.OAuth2.Clients;

/// <summary>Hydra's rules for client metadata. Returns the first rule broken, as its <see cref="ClientErrors"/> entry, or null.</summary>
public static class ClientValidator
{
    static readonly HashSet<string> GrantTypes =
    [
        "authorization_code", "refresh_token", "client_credentials", "implicit",
        "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:device_code",
    ];

    static readonly HashSet<string> ResponseTypes =
        ["code", "token", "id_token", "code id_token", "code token", "id_token token", "code id_token token", "none"];

    static readonly HashSet<string> AuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"];

    /// <summary>A method Hydra names (OIDC Core §9) that a server keeping only secret hashes cannot offer.</summary>
    const string ClientSecretJwt = "client_secret_jwt";

    /// <summary>
    /// Most entries any one list field of a client may have. A client is read on every token request, so a
    /// client of ten thousand redirect URIs makes every one slow; real clients have a handful.
    /// </summary>
    public const int MaxListEntries = 100;

    /// <summary>Longest URI, audience or contact a list may hold, as browsers and proxies cap URLs.</summary>
    public const int MaxEntryLength = 2048;

    public static OAuth2Error? Validate(StoredClient c, string? secret)
    {
        if (c.Id.Length is 0 or > 255 || c.Id.Any(ch => char.IsControl(ch) || ch == ' ' || ch == ':' || ch == '/'))
            return ClientErrors.MalformedClientId;
        if (ListProblem(c) is { } tooMany) return tooMany;
        if (c.ClientName.Length > 1024) return ClientErrors.ClientNameTooLong;
        if (c.GrantTypes.FirstOrDefault(g => !GrantTypes.Contains(g)) is { } grant)
            return ClientErrors.UnsupportedGrantType(grant);
        if (c.ResponseTypes.FirstOrDefault(r => !ResponseTypes.Contains(r)) is { } response)
            return ClientErrors.UnsupportedResponseType(response);
        if (c.TokenEndpointAuthMethod == ClientSecretJwt) return ClientErrors.ClientSecretJwtUnsupported;
        if (!AuthMethods.Contains(c.TokenEndpointAuthMethod))
            return ClientErrors.UnknownAuthMethod(c.TokenEndpointAuthMethod);
        if (KeysProblem(c) is { } keys) return keys;
        if (c.AccessTokenStrategy is not (null or "opaque" or "jwt"))
            return ClientErrors.UnknownAccessTokenStrategy(c.AccessTokenStrategy);
        if (c.SubjectType is not ("public" or "pairwise"))
            return ClientErrors.UnknownSubjectType;
        foreach (var uri in c.RedirectUris.Concat(c.PostLogoutRedirectUris))
        {
            if (RedirectProblem(uri) is { } redirectProblem) return ClientErrors.RedirectUriNotAllowed(uri, redirectProblem);
        }
        if (LogoutUriProblem(c) is { } logoutProblem) return logoutProblem;
        if (c.GrantTypes.Contains("client_credentials") && c.TokenEndpointAuthMethod == "none")
            return ClientErrors.PublicClientCredentials;
        if (secret is { Length: < 6 }) return ClientErrors.SecretTooShort;
        if (c.Scope.Any(char.IsControl)) return ClientErrors.MalformedScope;
        return OpenIdFieldProblem(c);
    }

    /// <summary>Hydra's rules for the informational and OpenID Connect URIs, CORS origins and algorithms of a client.</summary>
    static OAuth2Error? OpenIdFieldProblem(StoredClient c)
    {
        (string Field, string Value)[] uris =
        [
            ("client_uri", c.ClientUri), ("logo_uri", c.LogoUri), ("policy_uri", c.PolicyUri), ("tos_uri", c.TosUri),
            ("sector_identifier_uri", c.SectorIdentifierUri), .. c.RequestUris.Select(u => ("request_uris", u)),
        ];
        foreach (var (field, value) in uris)
        {
            if (value.Length == 0) continue;
            if (value.Length > MaxEntryLength) return ClientErrors.FieldTooLong(field);
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || value.Any(char.IsControl))
                return ClientErrors.NotAnHttpUri(field, value);
        }
        foreach (var origin in c.AllowedCorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0
                || uri.AbsolutePath.TrimEnd('/').Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0 || origin.Contains('#', StringComparison.Ordinal))
                return ClientErrors.MalformedCorsOrigin(origin);
        }
        if (c.UserinfoSignedResponseAlg is not ("none" or "RS256")) return ClientErrors.UnsupportedUserinfoAlg;
        if (c.RequestObjectSigningAlg.Length > 64) return ClientErrors.FieldTooLong("request_object_signing_alg");
        return null;
    }

    /// <summary>True for a URI a browser may be sent to with a code or token (see <see cref="RedirectProblem"/>).</summary>
    public static bool IsAllowedRedirect(string? value) => value is not null && RedirectProblem(value) is null;

    /// <summary>
    /// Why a redirect or post-logout URI is refused, or null. A browser is sent to it with a code or a token,
    /// and in form_post mode our own page posts to it, so a <c>javascript:</c> or <c>data:</c> URI would run
    /// script on the project's origin. Allowed, as RFC 8252 and OAuth 2.0 Security BCP §2.1 describe:
    /// <list type="bullet">
    /// <item><c>https</c> with a host;</item>
    /// <item><c>http</c> only to a loopback host: 127.0.0.0/8, [::1] (RFC 8252 §7.3), and <c>localhost</c> or a
    /// name under <c>.localhost</c>, which RFC 6761 §6.3 reserves for loopback and browsers resolve there
    /// without DNS. RFC 8252 §8.3 only discourages <c>localhost</c> because an app may not listen on every
    /// interface; Hydra (fosite's IsLocalhost) accepts these names, and so do we, for compatibility;</item>
    /// <item>a private-use scheme of a native app, in reverse-domain form, so it has a '.' (RFC 8252 §7.1,
    /// <c>com.example.app:/callback</c>). Every scheme a browser itself executes (<c>javascript</c>,
    /// <c>data</c>, <c>vbscript</c>, <c>file</c>, <c>blob</c>, <c>about</c>…) has no '.', and is refused.</item>
    /// </list>
    /// Never relative, never with a fragment (RFC 6749 §3.1.2), never with user information.
    /// </summary>
    public static string? RedirectProblem(string value)
    {
        if (value.Length is 0 or > 2048) return "it must be 1 to 2048 characters long.";
        if (value.Any(char.IsControl) || value.Contains(' ', StringComparison.Ordinal)) return "it must not contain spaces or control characters.";
        if (value.Contains('#', StringComparison.Ordinal)) return "it must not contain a fragment.";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || value.StartsWith('/')) return "it must be an absolute URI.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "it must not contain user information.";
        return uri.Scheme switch
        {
            "https" => string.IsNullOrEmpty(uri.Host) ? "an https URI needs a host." : null,
            "http" => IsLoopback(uri) ? null : "http is only allowed for loopback hosts (127.0.0.1, [::1], localhost); use https.",
            _ when uri.Scheme.Contains('.', StringComparison.Ordinal) => null,
            _ => "the scheme must be https, http for a loopback host, or a reverse-domain private-use scheme such as com.example.app:/callback (RFC 8252).",
        };
    }

    /// <summary>
    /// The logout URIs (Back-Channel Logout 1.0 §2.2, Front-Channel Logout 1.0 §2): empty, or http(s) by the rules of
    /// <see cref="RedirectProblem"/> (https, or http to a loopback host). The back-channel URI is called by the
    /// server (through <c>OutboundHttp</c>, which refuses private ranges unless allowed); the front-channel URI is
    /// framed by the logout page, so it must share scheme, host and port with a registered redirect URI.
    /// </summary>
    static OAuth2Error? LogoutUriProblem(StoredClient c)
    {
        foreach (var (name, uri) in new[] { ("backchannel_logout_uri", c.BackchannelLogoutUri), ("frontchannel_logout_uri", c.FrontchannelLogoutUri) })
        {
            if (uri.Length == 0) continue;
            var problem = RedirectProblem(uri) ?? (uri.StartsWith("http://", StringComparison.Ordinal) || uri.StartsWith("https://", StringComparison.Ordinal)
                ? null : "it must be an http(s) URI.");
            if (problem is not null) return ClientErrors.LogoutUriNotAllowed(name, uri, problem);
        }
        if (c.FrontchannelLogoutUri.Length > 0)
        {
            var origin = new Uri(c.FrontchannelLogoutUri).GetLeftPart(UriPartial.Authority);
            if (!c.RedirectUris.Any(r => Uri.TryCreate(r, UriKind.Absolute, out var redirect) && redirect.GetLeftPart(UriPartial.Authority) == origin))
                return ClientErrors.FrontchannelLogoutUriOrigin(c.FrontchannelLogoutUri);
        }
        return null;
    }

    static bool IsLoopback(Uri uri)
    {
        var host = uri.Host.TrimStart('[').TrimEnd(']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    /// <summary>Hydra's rules for jwks, jwks_uri and the signing algorithm (client/validator.go), and usable keys.</summary>
    static OAuth2Error? KeysProblem(StoredClient c)
    {
        if (c.Jwks is not null && c.JwksUri is not null) return ClientErrors.JwksAndJwksUri;
        if (c.TokenEndpointAuthMethod == "private_key_jwt" && c.Jwks is null && c.JwksUri is null) return ClientErrors.PrivateKeyJwtNeedsKeys;
        if (c.Jwks is not null && ClientJwks.Parse(c.Jwks.ToJsonString()).Problem is { } why) return ClientErrors.JwksInvalid(why);
        if (c.JwksUri is { } uri && (uri.Length > MaxEntryLength || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
                || parsed.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(parsed.UserInfo) || uri.Contains('#', StringComparison.Ordinal)))
            return ClientErrors.JwksUriInvalid;
        if (c.TokenEndpointAuthSigningAlg is { } alg && !ClientAssertions.Algorithms.Contains(alg)) return ClientErrors.UnknownSigningAlg(alg);
        return null;
    }

    static OAuth2Error? ListProblem(StoredClient c)
    {
        (string Name, List<string> Values)[] lists =
        [
            ("redirect_uris", c.RedirectUris), ("post_logout_redirect_uris", c.PostLogoutRedirectUris), ("grant_types", c.GrantTypes),
            ("response_types", c.ResponseTypes), ("audience", c.Audience), ("allowed_cors_origins", c.AllowedCorsOrigins), ("contacts", c.Contacts),
            ("request_uris", c.RequestUris),
        ];
        foreach (var (name, values) in lists)
        {
            if (values.Count > MaxListEntries) return ClientErrors.ListTooLong(name, values.Count);
            if (values.Any(v => v is null || v.Length > MaxEntryLength))
                return ClientErrors.ListEntryTooLong(name);
        }
        if (c.Scope.Length > MaxListEntries * 64) return ClientErrors.ScopeTooLong;
        return null;
    }
}
