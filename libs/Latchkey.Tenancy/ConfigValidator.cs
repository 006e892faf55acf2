namespace Latchkey.Tenancy;

/// <summary>Hydra's rules for the keys a project owner may set; every problem is named by its JSON path.</summary>
public static class ConfigValidator
{
    public static IReadOnlyList<string> Validate(OAuth2Config config)
    {
        var problems = new List<string>();
        void Url(string path, string? value)
        {
            if (value is null) return;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                problems.Add($"{path}: '{value}' is not an absolute http(s) URL.");
        }
        void Ttl(string path, string value)
        {
            if (!GoDuration.TryParse(value, out var d) || d <= TimeSpan.Zero)
                problems.Add($"{path}: '{value}' is not a positive duration such as 1h or 30m.");
            else if (d > TimeSpan.FromDays(3650))
                problems.Add($"{path}: '{value}' is longer than ten years.");
        }

        Url("/services/oauth2/config/urls/login", config.Urls.Login);
        Url("/services/oauth2/config/urls/consent", config.Urls.Consent);
        Url("/services/oauth2/config/urls/logout", config.Urls.Logout);
        Url("/services/oauth2/config/urls/error", config.Urls.Error);
        Url("/services/oauth2/config/urls/post_logout_redirect", config.Urls.PostLogoutRedirect);
        Ttl("/services/oauth2/config/ttl/access_token", config.Ttl.AccessToken);
        Ttl("/services/oauth2/config/ttl/refresh_token", config.Ttl.RefreshToken);
        Ttl("/services/oauth2/config/ttl/id_token", config.Ttl.IdToken);
        Ttl("/services/oauth2/config/ttl/auth_code", config.Ttl.AuthCode);
        Ttl("/services/oauth2/config/ttl/login_consent_request", config.Ttl.LoginConsentRequest);
        Ttl("/services/oauth2/config/ttl/authentication_session", config.Ttl.AuthenticationSession);
        Ttl("/services/oauth2/config/oauth2/grant/jwt/max_ttl", config.OAuth2.Grant.Jwt.MaxTtl);
        if (config.Strategies.AccessToken is not ("opaque" or "jwt"))
            problems.Add($"/services/oauth2/config/strategies/access_token: '{config.Strategies.AccessToken}' must be 'opaque' or 'jwt'.");
        return problems;
    }
}
