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

        void Hook(string path, HookConfig? hook)
        {
            if (hook is null) return;
            if (hook.Url.Length == 0 || hook.Url.Length > 2048) problems.Add($"{path}/url: must be an absolute http(s) URL of at most 2048 characters.");
            else Url(path + "/url", hook.Url);
            if (hook.Auth is not { } auth) return;
            if (auth.Type != "api_key") problems.Add($"{path}/auth/type: '{auth.Type}' must be 'api_key'.");
            if (auth.Config.In is not ("header" or "cookie")) problems.Add($"{path}/auth/config/in: '{auth.Config.In}' must be 'header' or 'cookie'.");
            // A header or cookie name is an RFC 9110 token; the value must fit in a header.
            if (auth.Config.Name.Length is 0 or > 256 || auth.Config.Name.Any(c => c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".Contains(c)))
                problems.Add($"{path}/auth/config/name: must be a header or cookie name (letters, digits and !#$%&'*+-.^_`|~).");
            if (auth.Config.Value.Length > 4096 || auth.Config.Value.Any(c => c < ' ' || c == 127 || (auth.Config.In == "cookie" && c is ';' or ',' or ' ' or '"' or '\\')))
                problems.Add($"{path}/auth/config/value: must be at most 4096 printable characters{(auth.Config.In == "cookie" ? " without ; , space, quote or backslash" : "")}.");
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
        Url("/services/oauth2/config/urls/device/verification", config.Urls.Device.Verification);
        Url("/services/oauth2/config/urls/device/success", config.Urls.Device.Success);
        Ttl("/services/oauth2/config/ttl/device_user_code", config.Ttl.DeviceUserCode);
        Ttl("/services/oauth2/config/ttl/vc_nonce", config.Ttl.VcNonce);
        if (!GoDuration.TryParse(config.OAuth2.DeviceAuthorization.TokenPollingInterval, out var polling) || polling < TimeSpan.FromSeconds(1) || polling > TimeSpan.FromMinutes(10))
            problems.Add($"/services/oauth2/config/oauth2/device_authorization/token_polling_interval: '{config.OAuth2.DeviceAuthorization.TokenPollingInterval}' is not a duration between 1s and 10m.");
        Hook("/services/oauth2/config/oauth2/token_hook", config.OAuth2.TokenHook);
        Hook("/services/oauth2/config/oauth2/refresh_token_hook", config.OAuth2.RefreshTokenHook);
        var defaultScope = config.Oidc.DynamicClientRegistration.DefaultScope;
        if (defaultScope.Count > 100 || defaultScope.Any(s => s.Length is 0 or > 256 || s.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
            problems.Add("/services/oauth2/config/oidc/dynamic_client_registration/default_scope: at most 100 scopes, each 1 to 256 characters without spaces.");
        Ttl("/services/oauth2/config/oauth2/grant/jwt/max_ttl", config.OAuth2.Grant.Jwt.MaxTtl);
        if (config.Strategies.AccessToken is not ("opaque" or "jwt"))
            problems.Add($"/services/oauth2/config/strategies/access_token: '{config.Strategies.AccessToken}' must be 'opaque' or 'jwt'.");
        return problems;
    }
}
