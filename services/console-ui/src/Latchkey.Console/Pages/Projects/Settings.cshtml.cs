using System.Text.Json.Nodes;
using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects;

/// <summary>
/// The project's OAuth2 config, saved as one JSON Patch through <c>PATCH /projects/{id}</c>. The control plane
/// names each invalid key by its JSON path in <c>error.reason</c>; the message is shown next to that field.
/// </summary>
public sealed class SettingsModel(PlatformApi api) : ProjectPageModel(api)
{
    const string Root = "/services/oauth2/config";

    public enum Kind
    {
        Url,
        Duration,
        Strategy,
        Boolean,

        /// <summary>A Hydra webhook (<c>{url, auth}</c>): the form sets its URL and keeps the auth the API set.</summary>
        Hook,
    }

    public sealed record Setting(string Group, string Key, string Label, Kind Kind, string? Placeholder = null, string? Help = null)
    {
        public string Path => Root + "/" + Key.Replace('.', '/');
        public string Name => Key.Replace('.', '_');
    }

    public static readonly Setting[] Settings =
    [
        new("Login, consent and logout", "urls.login", "Login URL", Kind.Url, "https://auth.example.com/login"),
        new("Login, consent and logout", "urls.consent", "Consent URL", Kind.Url, "https://auth.example.com/consent"),
        new("Login, consent and logout", "urls.logout", "Logout URL", Kind.Url, "https://auth.example.com/logout"),
        new("Login, consent and logout", "urls.error", "Error URL", Kind.Url, "https://auth.example.com/error"),
        new("Login, consent and logout", "urls.post_logout_redirect", "Post-logout redirect URL", Kind.Url, "https://example.com/"),
        new("Device sign-in", "urls.device.verification", "Device verification URL", Kind.Url, "https://auth.example.com/device",
            "where users enter the code a device shows; empty: the hosted page"),
        new("Device sign-in", "urls.device.success", "Device success URL", Kind.Url, "https://auth.example.com/device/done"),
        new("Device sign-in", "ttl.device_user_code", "User and device code lifetime", Kind.Duration, "10m"),
        new("Device sign-in", "oauth2.device_authorization.token_polling_interval", "Polling interval", Kind.Duration, "5s",
            "how often a device may poll for its tokens; faster polls get slow_down"),
        new("Token lifetimes", "ttl.access_token", "Access token", Kind.Duration, "1h", "e.g. 30m, 1h"),
        new("Token lifetimes", "ttl.refresh_token", "Refresh token", Kind.Duration, "720h"),
        new("Token lifetimes", "ttl.id_token", "ID token", Kind.Duration, "1h"),
        new("Token lifetimes", "ttl.auth_code", "Authorization code", Kind.Duration, "10m"),
        new("Token lifetimes", "ttl.login_consent_request", "Login and consent request", Kind.Duration, "30m"),
        new("Token lifetimes", "ttl.authentication_session", "Remembered login", Kind.Duration, "720h"),
        new("Tokens and PKCE", "strategies.access_token", "Access token strategy", Kind.Strategy, Help: "opaque tokens are introspected; JWTs are verified with the JWKS"),
        new("Tokens and PKCE", "oauth2.pkce.enforced", "Require PKCE for every client", Kind.Boolean),
        new("Token hook", "oauth2.token_hook", "Token hook URL", Kind.Hook, "https://hooks.example.com/token",
            "Called before every token is issued; its answer's claims go into the tokens. Set an API key with the API (see README)."),
        new("Token hook", "clients.http.disallow_private_ip_ranges", "Refuse private network addresses for hooks", Kind.Boolean),
        new("Dynamic client registration", "oidc.dynamic_client_registration.enabled", "Allow dynamic client registration at /oauth2/register", Kind.Boolean),
    ];

    protected override string Section => "settings";

    public Dictionary<string, string> Values { get; } = [];

    public Dictionary<string, string> Errors { get; } = [];

    public string? FormError { get; private set; }

    public bool Saved => QueryFlag.IsSet(Request, "saved");

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var config = Project.Services?.OAuth2?.Config ?? [];
        foreach (var s in Settings)
        {
            var node = s.Key.Split('.').Aggregate((JsonNode?)config, (n, part) => n?[part]);
            if (s.Kind == Kind.Hook) node = node is JsonObject hook ? hook["url"] : node;
            Values[s.Name] = node switch
            {
                null => "",
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                JsonValue v when v.TryGetValue<string>(out var text) => text,
                _ => node.ToJsonString(),
            };
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var operations = new List<JsonPatchOperation>();
        foreach (var s in Settings)
        {
            var text = Request.Form[s.Name].ToString().Trim();
            Values[s.Name] = s.Kind == Kind.Boolean ? (text == "true" ? "true" : "false") : text;
            JsonNode? value = s.Kind switch
            {
                Kind.Boolean => JsonValue.Create(text == "true"),
                Kind.Url or Kind.Hook when text.Length == 0 => null,
                Kind.Hook => HookWithUrl(s, text),
                _ => JsonValue.Create(text),
            };
            operations.Add(JsonPatchOperation.Replace(s.Path, value));
        }

        try
        {
            await Client.PatchProjectAsync(Project.Id, operations, ct);
            return Redirect($"/projects/{Project.Id}/settings?saved=true");
        }
        catch (LatchkeyApiException ex) when (ex.Status == 400)
        {
            var problems = ConfigProblems.ByPath(ex.Reason ?? ex.Description);
            foreach (var s in Settings)
            {
                if (problems.TryGetValue(s.Path, out var problem)) Errors[s.Name] = problem;
            }
            FormError = Errors.Count > 0
                ? "Nothing was saved. Correct the highlighted settings and save again."
                : $"Nothing was saved: {ex.Reason ?? ex.Description}";
            return Page();
        }
    }

    /// <summary>The hook with this URL and the auth it already has (its API key is never sent to the browser).</summary>
    JsonObject HookWithUrl(Setting setting, string url)
    {
        var current = setting.Key.Split('.').Aggregate((JsonNode?)(Project.Services?.OAuth2?.Config ?? []), (n, part) => n?[part]) as JsonObject;
        return new JsonObject { ["url"] = url, ["auth"] = current?["auth"]?.DeepClone() };
    }
}
