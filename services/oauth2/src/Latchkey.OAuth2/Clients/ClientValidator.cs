namespace Latchkey.OAuth2.Clients;

/// <summary>Hydra's rules for client metadata. Returns the first problem, or null.</summary>
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

    /// <summary>
    /// Most entries any one list field of a client may have. A client is read on every token request, so a
    /// client of ten thousand redirect URIs makes every one slow; real clients have a handful.
    /// </summary>
    public const int MaxListEntries = 100;

    /// <summary>Longest URI, audience or contact a list may hold, as browsers and proxies cap URLs.</summary>
    public const int MaxEntryLength = 2048;

    public static string? Validate(OAuth2Client c, string? secret)
    {
        if (c.Id.Length is 0 or > 255 || c.Id.Any(ch => char.IsControl(ch) || ch == ' ' || ch == ':' || ch == '/'))
            return "client_id must be 1 to 255 characters without spaces, ':' or '/'.";
        if (ListProblem(c) is { } tooMany) return tooMany;
        if (c.ClientName.Length > 1024) return "client_name must be at most 1024 characters.";
        if (c.GrantTypes.FirstOrDefault(g => !GrantTypes.Contains(g)) is { } grant)
            return $"grant_types contains an unsupported grant type '{grant}'.";
        if (c.ResponseTypes.FirstOrDefault(r => !ResponseTypes.Contains(r)) is { } response)
            return $"response_types contains an unsupported response type '{response}'.";
        if (!AuthMethods.Contains(c.TokenEndpointAuthMethod))
            return $"token_endpoint_auth_method '{c.TokenEndpointAuthMethod}' is not one of client_secret_basic, client_secret_post, private_key_jwt, none.";
        if (c.TokenEndpointAuthMethod == "private_key_jwt")
            return "token_endpoint_auth_method 'private_key_jwt' is not supported yet.";
        if (c.AccessTokenStrategy is not (null or "opaque" or "jwt"))
            return $"access_token_strategy '{c.AccessTokenStrategy}' is not one of jwt, opaque (or empty for the project's strategies.access_token).";
        if (c.SubjectType is not ("public" or "pairwise"))
            return "subject_type must be 'public' or 'pairwise'.";
        if (c.RedirectUris.Concat(c.PostLogoutRedirectUris).FirstOrDefault(u => !IsValidRedirect(u)) is { } uri)
            return $"Redirect URI '{uri}' must be an absolute URI without a fragment.";
        if (c.GrantTypes.Contains("client_credentials") && c.TokenEndpointAuthMethod == "none")
            return "A public client (token_endpoint_auth_method 'none') cannot use the client_credentials grant.";
        if (secret is { Length: < 6 }) return "client_secret must be at least 6 characters long.";
        if (c.Scope.Any(char.IsControl)) return "scope must be a space-separated list of scopes.";
        return null;
    }

    static string? ListProblem(OAuth2Client c)
    {
        (string Name, List<string> Values)[] lists =
        [
            ("redirect_uris", c.RedirectUris), ("post_logout_redirect_uris", c.PostLogoutRedirectUris), ("grant_types", c.GrantTypes),
            ("response_types", c.ResponseTypes), ("audience", c.Audience), ("allowed_cors_origins", c.AllowedCorsOrigins), ("contacts", c.Contacts),
        ];
        foreach (var (name, values) in lists)
        {
            if (values.Count > MaxListEntries) return $"{name} has {values.Count} entries; at most {MaxListEntries} are allowed.";
            if (values.Any(v => v is null || v.Length > MaxEntryLength))
                return $"Every entry of {name} must be a string of at most {MaxEntryLength} characters.";
        }
        if (c.Scope.Length > MaxListEntries * 64) return $"scope must be at most {MaxListEntries * 64} characters.";
        return null;
    }

    static bool IsValidRedirect(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.Fragment);
}
