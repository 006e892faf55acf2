using System.Text.Json.Nodes;
using Latchkey.Client;
using Latchkey.Console.Platform;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Console.Pages.Projects.Clients;

/// <summary>Creates a client (<c>/clients/new</c>) or edits one; the secret of a new client is shown once, on the answer to the POST.</summary>
public sealed class EditModel(PlatformApi api) : ProjectPageModel(api)
{
    public static readonly (string Value, string Label)[] GrantTypeChoices =
    [
        ("authorization_code", "Authorization code"),
        ("refresh_token", "Refresh token"),
        ("client_credentials", "Client credentials"),
        ("implicit", "Implicit"),
        ("urn:ietf:params:oauth:grant-type:device_code", "Device code"),
        ("urn:ietf:params:oauth:grant-type:jwt-bearer", "JWT bearer"),
    ];

    public static readonly string[] ResponseTypeChoices = ["code", "id_token", "token"];

    protected override string Section => "clients";

    [BindProperty(SupportsGet = true)]
    public string? ClientId { get; set; }

    [BindProperty]
    public ClientForm Input { get; set; } = new();

    public OAuth2Client? Created { get; private set; }

    /// <summary>Hydra's per-grant lifespans, by field name: what the lifespans form shows and posts.</summary>
    [BindProperty]
    public Dictionary<string, string?> Lifespans { get; set; } = [];

    /// <summary>The answer to a secret rotation: the new secret, shown once.</summary>
    public OAuth2Client? Rotated { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>Hydra's 13 lifespans, as the form lists them: grant, token, field name.</summary>
    public static readonly (string Grant, string Token, string Field)[] LifespanFields =
    [
        ("Authorization code", "access token", "authorization_code_grant_access_token_lifespan"),
        ("Authorization code", "ID token", "authorization_code_grant_id_token_lifespan"),
        ("Authorization code", "refresh token", "authorization_code_grant_refresh_token_lifespan"),
        ("Client credentials", "access token", "client_credentials_grant_access_token_lifespan"),
        ("Refresh token", "access token", "refresh_token_grant_access_token_lifespan"),
        ("Refresh token", "ID token", "refresh_token_grant_id_token_lifespan"),
        ("Refresh token", "refresh token", "refresh_token_grant_refresh_token_lifespan"),
        ("Device code", "access token", "device_authorization_grant_access_token_lifespan"),
        ("Device code", "ID token", "device_authorization_grant_id_token_lifespan"),
        ("Device code", "refresh token", "device_authorization_grant_refresh_token_lifespan"),
        ("JWT bearer", "access token", "jwt_bearer_grant_access_token_lifespan"),
        ("Implicit", "access token", "implicit_grant_access_token_lifespan"),
        ("Implicit", "ID token", "implicit_grant_id_token_lifespan"),
    ];

    public bool IsNew => string.IsNullOrEmpty(ClientId);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        if (IsNew)
        {
            Input = new ClientForm { GrantTypes = ["client_credentials"], ResponseTypes = ["code"], AuthMethod = "client_secret_basic" };
            return;
        }
        await LoadClientAsync(ct);
    }

    async Task LoadClientAsync(CancellationToken ct)
    {
        var client = await Client.GetOAuth2ClientAsync(Project.Slug, ClientId!, ct);
        Input = ClientForm.From(client);
        var json = System.Text.Json.JsonSerializer.SerializeToNode(client, LatchkeyJson.Options)!;
        Lifespans = LifespanFields.ToDictionary(f => f.Field, f => json[f.Field]?.GetValue<string>());
    }

    /// <summary>Sets the client's lifespans; an empty field is the project's default.</summary>
    public async Task<IActionResult> OnPostLifespansAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        var wanted = LifespanFields.ToDictionary(f => f.Field, f => Lifespans.GetValueOrDefault(f.Field) is { Length: > 0 } v ? v.Trim() : null);
        try
        {
            await Client.SetOAuth2ClientLifespansAsync(Project.Slug, ClientId!, wanted, ct);
            Notice = "Token lifespans saved.";
        }
        catch (LatchkeyApiException ex) when (ex.Status == 400)
        {
            ModelState.AddModelError("Lifespans", ex.Description);
        }
        var posted = Lifespans;
        await LoadClientAsync(ct);
        if (!ModelState.IsValid) Lifespans = posted;
        return Page();
    }

    /// <summary>A new secret, shown once; the previous ones keep working until dropped.</summary>
    public async Task<IActionResult> OnPostRotateAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        try
        {
            Rotated = await Client.RotateOAuth2ClientSecretAsync(Project.Slug, ClientId!, ct);
        }
        catch (LatchkeyApiException ex) when (ex.Status == 400)
        {
            ModelState.AddModelError("Secret", ex.Description);
        }
        await LoadClientAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDropRotatedAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        try
        {
            await Client.DeleteRotatedOAuth2ClientSecretsAsync(Project.Slug, ClientId!, ct);
            Notice = "Rotated secrets dropped: only the current secret works now.";
        }
        catch (LatchkeyApiException ex) when (ex.Status == 400)
        {
            ModelState.AddModelError("Secret", ex.Description);
        }
        await LoadClientAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadProjectAsync(ct);
        if (Input.GrantTypes.Count == 0) ModelState.AddModelError("Input.GrantTypes", "Choose at least one grant type.");
        if (!ModelState.IsValid) return Page();
        try
        {
            if (IsNew)
            {
                Created = await Client.CreateOAuth2ClientAsync(Project.Slug, Input.ToClient(), ct);
                return Page();
            }
            await Client.PatchOAuth2ClientAsync(Project.Slug, ClientId!, Input.ToPatch(), ct);
            return Redirect($"/projects/{Project.Id}/clients?saved={Uri.EscapeDataString(ClientId!)}");
        }
        catch (LatchkeyApiException ex) when (ex.Status == 400)
        {
            ModelState.AddModelError(FieldOf(ex), ex.Description);
            return Page();
        }
    }

    /// <summary>Hydra names the field in its error code or description; show the message next to it.</summary>
    static string FieldOf(LatchkeyApiException ex)
    {
        var text = (ex.Error + " " + ex.Description).ToLowerInvariant();
        return text switch
        {
            _ when text.Contains("backchannel_logout", StringComparison.Ordinal) => "Input.BackchannelLogoutUri",
            _ when text.Contains("frontchannel_logout", StringComparison.Ordinal) => "Input.FrontchannelLogoutUri",
            _ when text.Contains("redirect", StringComparison.Ordinal) => "Input.RedirectUris",
            _ when text.Contains("response_type", StringComparison.Ordinal) || text.Contains("response type", StringComparison.Ordinal) => "Input.ResponseTypes",
            _ when text.Contains("grant", StringComparison.Ordinal) => "Input.GrantTypes",
            _ when text.Contains("token_endpoint_auth", StringComparison.Ordinal) => "Input.AuthMethod",
            _ when text.Contains("audience", StringComparison.Ordinal) => "Input.Audience",
            _ when text.Contains("scope", StringComparison.Ordinal) => "Input.Scope",
            _ => "",
        };
    }

    public sealed class ClientForm
    {
        public string? Name { get; set; }
        public List<string> GrantTypes { get; set; } = [];
        public List<string> ResponseTypes { get; set; } = [];
        public string? RedirectUris { get; set; }
        public string? Scope { get; set; }
        public string? Audience { get; set; }
        public string AuthMethod { get; set; } = "client_secret_basic";

        // Back- and front-channel logout (OpenID Connect): where the client hears that a user signed out.
        public string? BackchannelLogoutUri { get; set; }
        public bool BackchannelLogoutSessionRequired { get; set; }
        public string? FrontchannelLogoutUri { get; set; }
        public bool FrontchannelLogoutSessionRequired { get; set; }

        public static ClientForm From(OAuth2Client client) => new()
        {
            Name = client.ClientName,
            GrantTypes = [.. client.GrantTypes ?? []],
            ResponseTypes = [.. client.ResponseTypes ?? []],
            RedirectUris = string.Join('\n', client.RedirectUris ?? []),
            Scope = client.Scope,
            Audience = string.Join(' ', client.Audience ?? []),
            AuthMethod = client.TokenEndpointAuthMethod ?? "client_secret_basic",
            BackchannelLogoutUri = client.BackchannelLogoutUri,
            BackchannelLogoutSessionRequired = client.BackchannelLogoutSessionRequired ?? false,
            FrontchannelLogoutUri = client.FrontchannelLogoutUri,
            FrontchannelLogoutSessionRequired = client.FrontchannelLogoutSessionRequired ?? false,
        };

        public OAuth2Client ToClient() => new()
        {
            ClientName = Name?.Trim() ?? "",
            GrantTypes = GrantTypes,
            ResponseTypes = ResponseTypes,
            RedirectUris = Split(RedirectUris),
            Scope = string.Join(' ', Split(Scope)),
            Audience = Split(Audience),
            TokenEndpointAuthMethod = AuthMethod,
            BackchannelLogoutUri = BackchannelLogoutUri?.Trim() ?? "",
            BackchannelLogoutSessionRequired = BackchannelLogoutSessionRequired,
            FrontchannelLogoutUri = FrontchannelLogoutUri?.Trim() ?? "",
            FrontchannelLogoutSessionRequired = FrontchannelLogoutSessionRequired,
        };

        public IEnumerable<JsonPatchOperation> ToPatch()
        {
            var client = ToClient();
            // "add" sets a member whether or not the stored client has it (RFC 6902 §4.1).
            yield return JsonPatchOperation.Add("/client_name", client.ClientName);
            yield return JsonPatchOperation.Add("/grant_types", Array(client.GrantTypes!));
            yield return JsonPatchOperation.Add("/response_types", Array(client.ResponseTypes!));
            yield return JsonPatchOperation.Add("/redirect_uris", Array(client.RedirectUris!));
            yield return JsonPatchOperation.Add("/scope", client.Scope);
            yield return JsonPatchOperation.Add("/audience", Array(client.Audience!));
            yield return JsonPatchOperation.Add("/token_endpoint_auth_method", client.TokenEndpointAuthMethod);
            yield return JsonPatchOperation.Add("/backchannel_logout_uri", client.BackchannelLogoutUri);
            yield return JsonPatchOperation.Add("/backchannel_logout_session_required", client.BackchannelLogoutSessionRequired);
            yield return JsonPatchOperation.Add("/frontchannel_logout_uri", client.FrontchannelLogoutUri);
            yield return JsonPatchOperation.Add("/frontchannel_logout_session_required", client.FrontchannelLogoutSessionRequired);
        }

        static JsonArray Array(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];

        static List<string> Split(string? text) =>
            (text ?? "").Split([' ', '\n', '\r', '\t', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
    }
}
